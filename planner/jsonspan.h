/* jsonspan.h - moved to planner/util/jsonspan.h (the state loader uses it
 * too); this forwarding header goes once nothing includes it. */
#include "planner/util/jsonspan.h"
