/*
 * model_provider.c - recognising `provider`: local and aws (aws_lambda) are
 * supported; the other providers of the source document are recognised and
 * give one clear "not supported yet" error; anything else is unknown.
 */
#include "model_internal.h"

static const struct {
    const char *name;
    enum tsk_model_provider p;
} providers[] = {
    {"local", TSK_MODEL_PROVIDER_LOCAL},
    {"aws", TSK_MODEL_PROVIDER_AWS},
    {"aws_lambda", TSK_MODEL_PROVIDER_AWS},
    {"google_cloud_functions", TSK_MODEL_PROVIDER_GOOGLE},
    {"azure_functions", TSK_MODEL_PROVIDER_AZURE},
    {"vercel", TSK_MODEL_PROVIDER_VERCEL},
};
#define NPROV (sizeof(providers) / sizeof(providers[0]))

const char *tsk_model_provider_name(enum tsk_model_provider p)
{
    switch (p) {
    case TSK_MODEL_PROVIDER_NONE:
        return "none";
    case TSK_MODEL_PROVIDER_LOCAL:
        return "local";
    case TSK_MODEL_PROVIDER_AWS:
        return "aws";
    case TSK_MODEL_PROVIDER_GOOGLE:
        return "google_cloud_functions";
    case TSK_MODEL_PROVIDER_AZURE:
        return "azure_functions";
    case TSK_MODEL_PROVIDER_VERCEL:
        return "vercel";
    }
    return "none";
}

void tsk_model__provider(struct tsk_model__ctx *c)
{
    const struct tsk_value *v = c->sa[SA_PROVIDER];
    const char *name = tsk_model__str(v);
    if (!c->sa_tab)
        return; /* reported: no [serverless_architecture] */
    if (!name) {
        if (!tsk_table_get(c->sa_tab, "provider")) {
            tsk_diag_error(c->d, &c->sa_tab->pos,
                           "[serverless_architecture] has no provider");
            tsk_diag_detail(c->d, "set provider = \"local\" or \"aws\"");
        }
        return;
    }
    c->m->provider_name = name;
    c->m->provider_pos = v->pos;
    for (size_t i = 0; i < NPROV; i++) {
        if (strcmp(providers[i].name, name) != 0)
            continue;
        c->m->provider = providers[i].p;
        if (providers[i].p != TSK_MODEL_PROVIDER_LOCAL &&
            providers[i].p != TSK_MODEL_PROVIDER_AWS)
            tsk_diag_error(c->d, &v->pos,
                           "provider %s is not supported yet "
                           "(supported: local, aws)",
                           name);
        return;
    }
    const char *cands[NPROV];
    for (size_t i = 0; i < NPROV; i++)
        cands[i] = providers[i].name;
    tsk_diag_error(c->d, &v->pos, "unknown provider \"%s\"", name);
    const char *best = tsk_did_you_mean(name, cands, NPROV);
    if (best)
        tsk_diag_detail(c->d, "did you mean \"%s\"?", best);
    tsk_diag_detail(c->d, "supported: local, aws (or aws_lambda); not yet: "
                          "google_cloud_functions, azure_functions, vercel");
}
