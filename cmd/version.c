/* version.c - `tuskform version`: tuskform's version and its libraries'. */
#include "cli.h"

#include <cjson/cJSON.h>
#include <curl/curl.h>
#include <git2.h>
#include <openssl/crypto.h>
#include <sqlite3.h>

static int json;

static const struct tsk_opt opts[] = {
    {"json", TSK_OPT_BOOL, &json, NULL, "print the versions as JSON"},
    {NULL},
};

static int run(const struct tsk_cli *cli, int argc, char **argv)
{
    int npos, major, minor, rev;
    extern const struct tsk_command tsk_cmd_version;
    (void)cli;
    if (tsk_opts_parse(&tsk_cmd_version, argc, argv, &npos))
        return TSK_EXIT_USAGE;
    git_libgit2_version(&major, &minor, &rev);
    curl_version_info_data *cv = curl_version_info(CURLVERSION_NOW);
    const char *ssl = OpenSSL_version(OPENSSL_VERSION);
    if (json) {
        printf("{\"tuskform_version\":\"%s\",\"libraries\":{"
               "\"libcurl\":\"%s\",\"openssl\":\"%s\",\"libgit2\":"
               "\"%d.%d.%d\",\"cjson\":\"%s\",\"sqlite\":\"%s\"}}\n",
               TSK_VERSION, cv->version, ssl, major, minor, rev,
               cJSON_Version(), sqlite3_libversion());
        return TSK_EXIT_OK;
    }
    printf("tuskform v%s\n", TSK_VERSION);
    printf("  libcurl  %s (%s)\n", cv->version,
           cv->ssl_version ? cv->ssl_version : "no TLS");
    printf("  OpenSSL  %s\n", ssl);
    printf("  libgit2  %d.%d.%d\n", major, minor, rev);
    printf("  cJSON    %s\n", cJSON_Version());
    printf("  SQLite   %s\n", sqlite3_libversion());
    return TSK_EXIT_OK;
}

const struct tsk_command tsk_cmd_version = {
    .name = "version",
    .run = run,
    .summary = "Show the version of tuskform and of its libraries",
    .usage = "version [-json]",
    .opts = opts,
};
