/*
 * registry.c - the table of providers and lookups by provider name, alias
 * and resource type name. Providers that are recognised but have no driver
 * yet are listed with supported = 0, so that a configuration naming them
 * gets "not supported yet" rather than "unknown provider".
 */
#include "providers/provider.h"

#include <string.h>

#include "providers/aws/aws_provider.h"
#include "providers/local/local.h"

static const struct tsk_resource_type *const no_types[] = {NULL};

/* Recognised providers without a driver yet. */
static const struct tsk_provider provider_google = {
    .name = "google_cloud_functions",
    .aliases = "gcp google",
    .supported = 0,
    .types = no_types,
};
static const struct tsk_provider provider_azure = {
    .name = "azure_functions",
    .aliases = "azure",
    .supported = 0,
    .types = no_types,
};
static const struct tsk_provider provider_vercel = {
    .name = "vercel",
    .aliases = NULL,
    .supported = 0,
    .types = no_types,
};

const struct tsk_provider *const tsk_providers[] = {
    &tsk_provider_local, &tsk_provider_aws,    &provider_google,
    &provider_azure,     &provider_vercel, NULL,
};

/* Whether name is one of the space-separated words of list. */
static int in_word_list(const char *list, const char *name)
{
    size_t n = strlen(name);
    const char *p = list;
    if (!list || n == 0)
        return 0;
    while (*p) {
        while (*p == ' ')
            p++;
        size_t w = strcspn(p, " ");
        if (w == n && strncmp(p, name, n) == 0)
            return 1;
        p += w;
    }
    return 0;
}

const struct tsk_provider *tsk_provider_find(const char *name)
{
    if (!name)
        return NULL;
    for (size_t i = 0; tsk_providers[i]; i++) {
        const struct tsk_provider *p = tsk_providers[i];
        if (strcmp(p->name, name) == 0 || in_word_list(p->aliases, name))
            return p;
    }
    return NULL;
}

const struct tsk_resource_type *
tsk_provider_type(const struct tsk_provider *p, const char *type)
{
    if (!p || !p->types || !type)
        return NULL;
    for (size_t i = 0; p->types[i]; i++)
        if (strcmp(p->types[i]->name, type) == 0)
            return p->types[i];
    return NULL;
}

const struct tsk_provider *tsk_provider_for_type(const char *type)
{
    for (size_t i = 0; type && tsk_providers[i]; i++)
        if (tsk_provider_type(tsk_providers[i], type))
            return tsk_providers[i];
    return NULL;
}

const struct tsk_attr_schema *tsk_schema_attr(const struct tsk_schema *s,
                                              const char *name)
{
    if (!s || !s->attrs || !name)
        return NULL;
    for (const struct tsk_attr_schema *a = s->attrs; a->name; a++)
        if (strcmp(a->name, name) == 0)
            return a;
    return NULL;
}
