/*
 * aws_creds.c - the credential chain in the SDKs' order: environment,
 * shared credentials file, shared config file (profiles), container
 * endpoint, EC2 instance metadata (IMDSv2). Every secret found is registered
 * with the log redactor before anything else can print it.
 */
#include "providers/net/internal.h"

#include <ctype.h>
#include <stdlib.h>
#include <strings.h>

const char *tsk_aws_profile_name(const char *explicit_profile)
{
    const char *p = explicit_profile;
    if (!p || !*p)
        p = getenv("AWS_PROFILE");
    if (!p || !*p)
        p = getenv("AWS_DEFAULT_PROFILE");
    return (p && *p) ? p : "default";
}

char *tsk_aws_shared_file(int which)
{
    const char *v =
        getenv(which ? "AWS_CONFIG_FILE" : "AWS_SHARED_CREDENTIALS_FILE");
    const char *home = getenv("HOME");
    if (v && *v) {
        if (v[0] == '~' && v[1] == '/' && home)
            return tsk_xasprintf("%s%s", home, v + 1);
        return tsk_xstrdup(v);
    }
    return tsk_xasprintf("%s/.aws/%s", home ? home : "",
                         which ? "config" : "credentials");
}

static char *trim(const char *s, size_t n)
{
    while (n && isspace((unsigned char)*s))
        s++, n--;
    while (n && isspace((unsigned char)s[n - 1]))
        n--;
    return tsk_xstrndup(s, n);
}

/* Does the header text (inside [...]) name this profile? */
static int section_is(const char *sec, int config, const char *profile)
{
    if (!config || strcmp(sec, "default") == 0)
        return strcmp(sec, profile) == 0;
    if (strncmp(sec, "profile", 7) != 0 || !isspace((unsigned char)sec[7]))
        return 0;
    sec += 7;
    while (isspace((unsigned char)*sec))
        sec++;
    return strcmp(sec, profile) == 0;
}

/* 1 if the profile's section exists; *val set when key is in it. */
static int ini_lookup(const char *text, int config, const char *profile,
                      const char *key, char **val)
{
    const char *s = text;
    int in = 0, found = 0;
    *val = NULL;
    while (*s) {
        size_t n = strcspn(s, "\n");
        const char *line = s;
        s += n + (s[n] == '\n');
        if (n && (line[0] == ' ' || line[0] == '\t'))
            continue; /* nested "key =\n  sub = v" block: not a top key */
        char *t = trim(line, n);
        if (t[0] == '[') {
            char *close = strchr(t, ']');
            if (close) {
                char *sec = trim(t + 1, (size_t)(close - t - 1));
                in = section_is(sec, config, profile);
                found |= in;
                free(sec);
            }
        } else if (in && t[0] && t[0] != '#' && t[0] != ';') {
            char *eq = strchr(t, '=');
            if (eq) {
                char *k = trim(t, (size_t)(eq - t));
                if (strcmp(k, key) == 0 && !*val)
                    *val = trim(eq + 1, strlen(eq + 1));
                free(k);
            }
        }
        free(t);
    }
    return found;
}

int tsk_aws_profile_get(const char *path, int config, const char *profile,
                        const char *key, char **out)
{
    struct tsk_buf b = TSK_BUF_INIT;
    *out = NULL;
    if (tsk_read_file(path, &b) != 0)
        return TSK_EIO;
    ini_lookup(b.ptr, config, profile, key, out);
    tsk_buf_release(&b);
    if (*out && !**out) {
        free(*out);
        *out = NULL;
    }
    return *out ? 0 : TSK_ENOTFOUND;
}

static void set_creds(struct tsk_aws_creds *c, const char *ak, const char *sk,
                      const char *tok, const char *source)
{
    c->access_key_id = tsk_xstrdup(ak);
    c->secret_access_key = tsk_xstrdup(sk);
    c->session_token = tok && *tok ? tsk_xstrdup(tok) : NULL;
    c->source = source;
    tsk_log_add_secret(sk);
    tsk_log_add_secret(tok);
}

static int from_env(struct tsk_aws_creds *c)
{
    const char *ak = getenv("AWS_ACCESS_KEY_ID");
    const char *sk = getenv("AWS_SECRET_ACCESS_KEY");
    const char *tok = getenv("AWS_SESSION_TOKEN");
    if (!tok || !*tok)
        tok = getenv("AWS_SECURITY_TOKEN");
    tsk_log_add_secret(sk);
    tsk_log_add_secret(tok);
    if (!ak || !*ak || !sk || !*sk)
        return TSK_ENOTFOUND;
    set_creds(c, ak, sk, tok, "environment");
    return 0;
}

/* Credentials in one shared file; TSK_ENOTFOUND if the profile has none. */
static int from_file(struct tsk_aws_creds *c, int config, const char *profile,
                     int *seen, struct tsk_diags *d)
{
    char *path = tsk_aws_shared_file(config), *ak, *sk, *tok;
    struct tsk_buf b = TSK_BUF_INIT;
    int rc = TSK_ENOTFOUND;
    if (tsk_read_file(path, &b) != 0) {
        free(path);
        return TSK_ENOTFOUND;
    }
    *seen |= ini_lookup(b.ptr, config, profile, "aws_access_key_id", &ak);
    ini_lookup(b.ptr, config, profile, "aws_secret_access_key", &sk);
    ini_lookup(b.ptr, config, profile, "aws_session_token", &tok);
    if (!tok)
        ini_lookup(b.ptr, config, profile, "aws_security_token", &tok);
    tsk_log_add_secret(sk);
    tsk_log_add_secret(tok);
    if (ak && *ak && sk && *sk) {
        set_creds(c, ak, sk, tok,
                  config ? "shared-config-file" : "shared-credentials-file");
        rc = 0;
    } else if ((ak && *ak) || (sk && *sk)) {
        rc = tsk_diag_error(d, NULL,
                            "profile \"%s\" in %s has only part of "
                            "a key pair (aws_access_key_id and "
                            "aws_secret_access_key are both needed)",
                            profile, path);
    }
    free(ak);
    free(sk);
    free(tok);
    tsk_buf_release(&b);
    free(path);
    return rc;
}

int tsk_aws_creds_resolve(struct tsk_aws_creds *out,
                          const struct tsk_aws_creds_opts *opts,
                          struct tsk_diags *d)
{
    const char *explicit_profile = opts ? opts->profile : NULL;
    const char *profile = tsk_aws_profile_name(explicit_profile);
    int named = strcmp(profile, "default") != 0, seen = 0, rc;
    struct tsk_http *own = NULL, *http = opts ? opts->http : NULL;

    memset(out, 0, sizeof(*out));
    if (!(explicit_profile && *explicit_profile) && from_env(out) == 0)
        return 0;
    if ((rc = from_file(out, 0, profile, &seen, d)) != TSK_ENOTFOUND)
        return rc;
    if ((rc = from_file(out, 1, profile, &seen, d)) != TSK_ENOTFOUND)
        return rc;
    if (named && !seen) {
        char *cf = tsk_aws_shared_file(0), *cc = tsk_aws_shared_file(1);
        tsk_diag_error(d, NULL, "AWS profile \"%s\" not found in %s or %s",
                       profile, cf, cc);
        free(cf);
        free(cc);
        return TSK_ENOTFOUND;
    }
    if (!http)
        http = own = tsk_http_new(NULL);
    rc = tsk_aws__creds_container(out, http, d);
    if (rc == TSK_ENOTFOUND)
        rc = tsk_aws__creds_imds(out, http, d);
    tsk_http_free(own);
    if (rc == TSK_ENOTFOUND) {
        tsk_diag_error(d, NULL, "no AWS credentials found");
        tsk_diag_detail(d,
                        "looked in the environment (AWS_ACCESS_KEY_ID, "
                        "AWS_SECRET_ACCESS_KEY), the shared credentials "
                        "and config files (profile \"%s\"), the container "
                        "and the instance metadata endpoints",
                        profile);
    }
    return rc;
}

void tsk_aws_creds_release(struct tsk_aws_creds *c)
{
    free(c->access_key_id);
    free(c->secret_access_key);
    free(c->session_token);
    memset(c, 0, sizeof(*c));
}
