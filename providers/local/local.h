/*
 * local.h - the embedded `local` provider: resource types local_* whose
 * "cloud" is its own SQLite file (.tuskform/local-cloud.db, or the path in
 * TUSKFORM_LOCAL_CLOUD), separate from the state, so edits made to it out
 * of band are real drift. Needs no account; doubles as the test provider.
 *
 * The split: schema.c holds the type table (schemas and the callbacks
 * below); lower.c lowers the model to local_* nodes; cloud.c and crud.c
 * implement the callbacks generically for every local_* type (ids and
 * ARN-like identifiers assigned on create, reference attributes checked
 * against existing objects, latency and failure knobs for tests).
 *
 * Ownership: as in provider.h.
 */
#ifndef TSK_PROVIDERS_LOCAL_H
#define TSK_PROVIDERS_LOCAL_H

#include "providers/provider.h"

extern const struct tsk_provider tsk_provider_local;
extern const struct tsk_resource_type *const tsk_local_types[];

/* lower.c */
int tsk_local_lower(const struct tsk_model *m, struct tsk_graph *g,
                    struct tsk_diags *d);

/* cloud.c / crud.c: generic callbacks used by every local_* type. */
int tsk_local_configure(struct tsk_pctx **out,
                        const struct tsk_provider_cfg *cfg,
                        struct tsk_diags *d);
void tsk_local_close(struct tsk_pctx *pctx);
int tsk_local_read(const struct tsk_rcall *c, const char *id,
                   const cJSON *prior, cJSON **out, struct tsk_diags *d);
int tsk_local_create(const struct tsk_rcall *c, const cJSON *planned,
                     char **out_id, cJSON **out, struct tsk_diags *d);
int tsk_local_update(const struct tsk_rcall *c, const char *id,
                     const cJSON *prior, const cJSON *planned, cJSON **out,
                     struct tsk_diags *d);
int tsk_local_delete(const struct tsk_rcall *c, const char *id,
                     const cJSON *prior, struct tsk_diags *d);
int tsk_local_find(const struct tsk_rcall *c, const cJSON *planned,
                   char **out_id, cJSON **out, struct tsk_diags *d);

#endif
