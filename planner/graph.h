/*
 * graph.h - the desired-state graph: resource nodes with attribute values,
 * references to other nodes' attributes, and the dependencies they imply.
 * A provider's lower() fills it; diff, apply and `graph` read it.
 *
 * Ownership: the graph owns its nodes, their strings, attribute objects and
 * references; tsk_graph_free() releases all of it. The strings of nodes
 * and references (addresses, types, reference attribute names, function
 * keys, sensitive paths) are shared or carved from larger blocks: never
 * free or modify one on its own. Node pointers are
 * invalidated by adding nodes: keep node indexes (uint32_t), not pointers,
 * across tsk_graph_add() calls.
 */
#ifndef TSK_GRAPH_H
#define TSK_GRAPH_H

#include <cjson/cJSON.h>
#include <stdint.h>

#include "planner/util/util.h"

struct tsk_resource_type;
struct tsk_provider;

/*
 * A reference: attribute `attr` of this node takes the value of attribute
 * `target_attr` of node `target` (e.g. a trigger's function_arn is the
 * function's arn). Until the target is applied the value may be unknown.
 */
struct tsk_ref {
    char *attr;
    uint32_t target;
    char *target_attr;
};

struct tsk_node {
    char *addr; /* "type.name" */
    char *type, *name; /* name in addr's allocation, type shared: never
                          freed on their own */
    const struct tsk_resource_type *rt;
    const struct tsk_provider *prov;
    cJSON *attrs;  /* configured values (an object); references not set */
    TSK_ARRAY(struct tsk_ref) refs;
    TSK_ARRAY(char *) sensitive; /* extra sensitive paths: "environment.KEY" */
    TSK_ARRAY(uint32_t) deps;    /* nodes this one needs (from refs + extra) */
    TSK_ARRAY(uint32_t) rdeps;   /* nodes that need this one */
    struct tsk_pos pos;          /* the configuration that made the node */
    const char *function; /* the model function key, or NULL (the
                             graph's copy: set with tsk_graph_set_function) */
};

struct tsk_graph {
    TSK_ARRAY(struct tsk_node) nodes;
    const struct tsk_provider *prov;
    char *stack; /* the stack name (service, else folder name) */
    struct tsk_graph__index *index; /* address -> node, private */
};

void tsk_graph_init(struct tsk_graph *g, const struct tsk_provider *prov,
                    const char *stack);
void tsk_graph_free(struct tsk_graph *g);

/** Makes room for n nodes in all (optional: saves growing the node array
 * and the address index step by step). */
void tsk_graph_reserve(struct tsk_graph *g, size_t n);

/**
 * Adds a node of resource type `type` named `name`, taking ownership of
 * attrs. Returns its index, or UINT32_MAX after an error when the address
 * is already used or the type is unknown to the graph's provider.
 */
uint32_t tsk_graph_add(struct tsk_graph *g, const char *type,
                       const char *name, cJSON *attrs,
                       const struct tsk_pos *pos, struct tsk_diags *d);
/** Adds a reference (and the dependency it implies) from node to target. */
void tsk_graph_ref(struct tsk_graph *g, uint32_t node, const char *attr,
                   uint32_t target, const char *target_attr);
/** Adds a dependency without a value reference (ordering only). */
void tsk_graph_dep(struct tsk_graph *g, uint32_t node, uint32_t target);
/** The node at addr, or UINT32_MAX. */
uint32_t tsk_graph_find(const struct tsk_graph *g, const char *addr);
/** Records the model function key a node was made for (copied). */
void tsk_graph_set_function(struct tsk_graph *g, uint32_t node,
                            const char *key);
/** Adds an extra sensitive attribute path ("environment.KEY", copied). */
void tsk_graph_sensitive(struct tsk_graph *g, uint32_t node, const char *path);
/** The reference that sets attribute attr of node, or NULL. */
const struct tsk_ref *tsk_graph_ref_of(const struct tsk_graph *g,
                                       uint32_t node, const char *attr);
/** Whether name is a valid resource name: [A-Za-z0-9_-]+. */
int tsk_graph_name_ok(const char *name);
/**
 * Whether attribute path (a top-level name, or "name.KEY" for a map entry)
 * of node is sensitive: by the type's schema or by the node's own list.
 */
int tsk_graph_is_sensitive(const struct tsk_graph *g, uint32_t node,
                           const char *path);

/**
 * Checks the nodes against their types' schemas (required attributes set,
 * unknown attribute names, value types), then orders the nodes: *order gets
 * every node index with dependencies first (ties by address, so the order
 * is deterministic). A cycle is one error that names every member with
 * its source position. Caller frees *order.
 */
int tsk_graph_check(struct tsk_graph *g, uint32_t **order,
                    struct tsk_diags *d);

/**
 * Writes the graph as Graphviz DOT: `digraph tuskform {`, rankdir RL, box
 * nodes, one line per node (by address), then one edge per dependency
 * `"from" -> "to"` (by from, then to), labelled with the referring
 * attributes ("function_arn") when the dependency comes from references.
 */
void tsk_graph_dot(const struct tsk_graph *g, struct tsk_buf *out);
/**
 * Writes the graph as JSON: {format_version, provider, stack, resources:
 * [{address, type, name, function, values (sensitive ones redacted),
 * references: [{attribute, resource, resource_attribute}], depends_on,
 * sensitive_paths}]}, resources by address.
 */
void tsk_graph_json(const struct tsk_graph *g, struct tsk_buf *out);

#endif
