/*
 * graph_int.h - helpers shared by the graph's own files (graph.c,
 * graph_check.c, graph_out.c); not part of the graph's public interface.
 */
#ifndef TSK_GRAPH_INT_H
#define TSK_GRAPH_INT_H

#include "planner/graph.h"

/** Sorts n node indexes by address (stable merge sort). */
void tsk_graph__sort(const struct tsk_graph *g, uint32_t *v, size_t n);

#endif
