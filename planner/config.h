/*
 * config.h - the shared front of every command that needs the resource
 * graph: load every *.tsk file of a folder, build the serverless model,
 * pick the provider, lower the model into the desired-state graph and
 * check and order it. Also computes the configuration digest (saved plans
 * refuse a configuration that changed) and the stack name.
 *
 * Ownership: a struct tsk_config owns its document, model, graph, order,
 * source tree and strings; tsk_config_free() releases them. Diagnostics point
 * into the document's sources: print them before freeing the configuration.
 */
#ifndef TSK_CONFIG_H
#define TSK_CONFIG_H

#include <stdint.h>

#include "planner/graph.h"
#include "planner/model.h"
#include "planner/srcfs.h"
#include "planner/tsk/tsk.h"
#include "planner/util/util.h"

struct tsk_provider;

struct tsk_config_opts {
    const struct tsk_load_opts *load; /* how files are read, or NULL */
    int model_only; /* stop after the model: no provider, no graph */
    /* Read the *.tsk files, and the function sources they name, from this
     * git revision's tree (the repository around dir) instead of the work
     * tree, which is never touched; the digest is then that of the files
     * at the revision (planner/git.h). NULL: the work tree. `load` is
     * ignored when this is set. */
    const char *git_ref;
};

struct tsk_config {
    char *dir;                  /* the folder as given */
    struct tsk_doc *doc;        /* always set */
    struct tsk_model *model;    /* NULL when loading failed before it */
    const struct tsk_provider *provider; /* NULL until found */
    struct tsk_graph graph;     /* lowered when `lowered` is set */
    int lowered;
    uint32_t *order;            /* every node, dependencies first; or NULL */
    char digest[65];            /* sha256 of the *.tsk names and contents */
    char *stack;                /* the service, else the folder's name */
    /* Where function sources are read: the commit's tree with git_ref
     * (owned, released with the configuration), else the file system. The
     * model borrows it (model->srcfs) and lowering reads code through it. */
    struct tsk_srcfs srcfs;
};

/**
 * Loads the configuration in dir into *out (always set, also on failure,
 * so diagnostics can point into its sources; free it with
 * tsk_config_free). Stages stop at the first that reports an error: load,
 * model, provider ("lowering for aws is not supported yet"), lowering,
 * graph check. Returns 0, or TSK_ERROR when an error was reported into d.
 */
int tsk_config_load(struct tsk_config **out, const char *dir,
                    const struct tsk_config_opts *opts, struct tsk_diags *d);

void tsk_config_free(struct tsk_config *c);

/**
 * The sha256 (lowercase hex) of the *.tsk files of dir: for each file in
 * byte-wise name order, its name, a NUL, its length in decimal, a NUL and
 * its contents. Returns 0, or TSK_EIO after an error naming the file.
 */
int tsk_config_digest(const char *dir, char out[65], struct tsk_diags *d);

#endif
