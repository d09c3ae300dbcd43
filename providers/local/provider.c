/*
 * provider.c - the `local` provider: its lowering (lower.c), its
 * configure/close (cloud.c), its resource types (schema.c) and its batch
 * calls (many.c).
 */
#include "providers/local/internal.h"

const struct tsk_provider tsk_provider_local = {
    .name = "local",
    .aliases = NULL,
    .supported = 1,
    .lower = tsk_local_lower,
    .configure = tsk_local_configure,
    .close = tsk_local_close,
    .types = tsk_local_types,
    .call_many = tsk_local__call_many,
};
