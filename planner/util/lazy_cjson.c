/*
 * lazy_cjson.c - the cJSON functions tuskform uses, loaded on first use.
 *
 * The TSK front end (`tsk eval`, `fmt`, `validate`) has its own JSON code;
 * cJSON serves the state, plan and provider code. Linking it would cost
 * every process its loading, so, as for libcurl (providers/net/lazy_curl.c),
 * these definitions have cJSON.h's own prototypes and forward each call to
 * the library dlopened by the SONAME found at configure time
 * (TSK_SONAME_CJSON) through planner/util/lazy.h on the first call. The
 * memory cJSON returns is its own (cJSON_free / cJSON_Delete): on loading,
 * cJSON is set to allocate from planner/util/jalloc.h's slabs (unless
 * tsk_jalloc_slabs() says malloc), so text it prints is released with
 * cJSON_free, never free(). The definitions are not exported from the
 * executable.
 */
#include <cjson/cJSON.h>
#include <pthread.h>

#include "planner/util/jalloc.h"
#include "planner/util/lazy.h"

#ifndef TSK_SONAME_CJSON
#define TSK_SONAME_CJSON "libcjson.so.1"
#endif

#define CJ_SYMS(X)                                                             \
    X(cJSON_AddArrayToObject)                                                  \
    X(cJSON_AddBoolToObject)                                                   \
    X(cJSON_AddFalseToObject)                                                  \
    X(cJSON_AddItemToArray)                                                    \
    X(cJSON_AddItemToObject)                                                   \
    X(cJSON_AddItemToObjectCS)                                                 \
    X(cJSON_AddNullToObject)                                                   \
    X(cJSON_AddNumberToObject)                                                 \
    X(cJSON_AddObjectToObject)                                                 \
    X(cJSON_AddStringToObject)                                                 \
    X(cJSON_AddTrueToObject)                                                   \
    X(cJSON_Compare)                                                           \
    X(cJSON_CreateArray)                                                       \
    X(cJSON_CreateBool)                                                        \
    X(cJSON_CreateFalse)                                                       \
    X(cJSON_CreateNull)                                                        \
    X(cJSON_CreateNumber)                                                      \
    X(cJSON_CreateObject)                                                      \
    X(cJSON_CreateObjectReference)                                             \
    X(cJSON_CreateRaw)                                                         \
    X(cJSON_CreateString)                                                      \
    X(cJSON_CreateStringArray)                                                 \
    X(cJSON_CreateTrue)                                                        \
    X(cJSON_Delete)                                                            \
    X(cJSON_DeleteItemFromObject)                                              \
    X(cJSON_DeleteItemFromObjectCaseSensitive)                                 \
    X(cJSON_Duplicate)                                                         \
    X(cJSON_GetArrayItem)                                                      \
    X(cJSON_GetArraySize)                                                      \
    X(cJSON_GetObjectItem)                                                     \
    X(cJSON_GetObjectItemCaseSensitive)                                        \
    X(cJSON_GetStringValue)                                                    \
    X(cJSON_InitHooks)                                                         \
    X(cJSON_IsArray)                                                           \
    X(cJSON_IsBool)                                                            \
    X(cJSON_IsFalse)                                                           \
    X(cJSON_IsNull)                                                            \
    X(cJSON_IsNumber)                                                          \
    X(cJSON_IsObject)                                                          \
    X(cJSON_IsString)                                                          \
    X(cJSON_IsTrue)                                                            \
    X(cJSON_Parse)                                                             \
    X(cJSON_ParseWithLength)                                                   \
    X(cJSON_Print)                                                             \
    X(cJSON_PrintUnformatted)                                                  \
    X(cJSON_ReplaceItemInObject)                                               \
    X(cJSON_ReplaceItemInObjectCaseSensitive)                                  \
    X(cJSON_ReplaceItemViaPointer)                                             \
    X(cJSON_SetValuestring)                                                    \
    X(cJSON_Version)                                                           \
    X(cJSON_free)

enum {
#define X(n) S_##n,
    CJ_SYMS(X)
#undef X
        S_COUNT
};

static const char *const names[S_COUNT] = {
#define X(n) #n,
    CJ_SYMS(X)
#undef X
};

static void *syms[S_COUNT];
static pthread_once_t once = PTHREAD_ONCE_INIT;

static void load(void)
{
    tsk_lazy_load(TSK_SONAME_CJSON, names, syms, S_COUNT);
    if (tsk_jalloc_slabs()) {
        cJSON_Hooks h = {tsk_jalloc, tsk_jfree};
        ((__typeof__(&cJSON_InitHooks))syms[S_cJSON_InitHooks])(&h);
    }
}

/* The resolved function n, with its own type. */
#define FN(n) (pthread_once(&once, load), (__typeof__(&n))syms[S_##n])

cJSON *cJSON_AddArrayToObject(cJSON *const object, const char *const name)
{
    return FN(cJSON_AddArrayToObject)(object, name);
}

cJSON *cJSON_AddBoolToObject(cJSON *const object, const char *const name,
                             const cJSON_bool boolean)
{
    return FN(cJSON_AddBoolToObject)(object, name, boolean);
}

cJSON *cJSON_AddFalseToObject(cJSON *const object, const char *const name)
{
    return FN(cJSON_AddFalseToObject)(object, name);
}

cJSON_bool cJSON_AddItemToArray(cJSON *array, cJSON *item)
{
    return FN(cJSON_AddItemToArray)(array, item);
}

cJSON_bool cJSON_AddItemToObject(cJSON *object, const char *string, cJSON *item)
{
    return FN(cJSON_AddItemToObject)(object, string, item);
}

cJSON_bool cJSON_AddItemToObjectCS(cJSON *object, const char *string,
                                   cJSON *item)
{
    return FN(cJSON_AddItemToObjectCS)(object, string, item);
}

cJSON *cJSON_AddNullToObject(cJSON *const object, const char *const name)
{
    return FN(cJSON_AddNullToObject)(object, name);
}

cJSON *cJSON_AddNumberToObject(cJSON *const object, const char *const name,
                               const double number)
{
    return FN(cJSON_AddNumberToObject)(object, name, number);
}

cJSON *cJSON_AddObjectToObject(cJSON *const object, const char *const name)
{
    return FN(cJSON_AddObjectToObject)(object, name);
}

cJSON *cJSON_AddStringToObject(cJSON *const object, const char *const name,
                               const char *const string)
{
    return FN(cJSON_AddStringToObject)(object, name, string);
}

cJSON *cJSON_AddTrueToObject(cJSON *const object, const char *const name)
{
    return FN(cJSON_AddTrueToObject)(object, name);
}

cJSON_bool cJSON_Compare(const cJSON *const a, const cJSON *const b,
                         const cJSON_bool case_sensitive)
{
    return FN(cJSON_Compare)(a, b, case_sensitive);
}

cJSON *cJSON_CreateArray(void)
{
    return FN(cJSON_CreateArray)();
}

cJSON *cJSON_CreateBool(cJSON_bool boolean)
{
    return FN(cJSON_CreateBool)(boolean);
}

cJSON *cJSON_CreateFalse(void)
{
    return FN(cJSON_CreateFalse)();
}

cJSON *cJSON_CreateNull(void)
{
    return FN(cJSON_CreateNull)();
}

cJSON *cJSON_CreateNumber(double num)
{
    return FN(cJSON_CreateNumber)(num);
}

cJSON *cJSON_CreateObject(void)
{
    return FN(cJSON_CreateObject)();
}

cJSON *cJSON_CreateObjectReference(const cJSON *child)
{
    return FN(cJSON_CreateObjectReference)(child);
}

cJSON *cJSON_CreateRaw(const char *raw)
{
    return FN(cJSON_CreateRaw)(raw);
}

cJSON *cJSON_CreateString(const char *string)
{
    return FN(cJSON_CreateString)(string);
}

cJSON *cJSON_CreateStringArray(const char *const *strings, int count)
{
    return FN(cJSON_CreateStringArray)(strings, count);
}

cJSON *cJSON_CreateTrue(void)
{
    return FN(cJSON_CreateTrue)();
}

void cJSON_Delete(cJSON *item)
{
    FN(cJSON_Delete)(item);
}

void cJSON_DeleteItemFromObject(cJSON *object, const char *string)
{
    FN(cJSON_DeleteItemFromObject)(object, string);
}

void cJSON_DeleteItemFromObjectCaseSensitive(cJSON *object, const char *string)
{
    FN(cJSON_DeleteItemFromObjectCaseSensitive)(object, string);
}

cJSON *cJSON_Duplicate(const cJSON *item, cJSON_bool recurse)
{
    return FN(cJSON_Duplicate)(item, recurse);
}

cJSON *cJSON_GetArrayItem(const cJSON *array, int index)
{
    return FN(cJSON_GetArrayItem)(array, index);
}

int cJSON_GetArraySize(const cJSON *array)
{
    return FN(cJSON_GetArraySize)(array);
}

cJSON *cJSON_GetObjectItem(const cJSON *const object, const char *const string)
{
    return FN(cJSON_GetObjectItem)(object, string);
}

cJSON *cJSON_GetObjectItemCaseSensitive(const cJSON *const object,
                                        const char *const string)
{
    return FN(cJSON_GetObjectItemCaseSensitive)(object, string);
}

char *cJSON_GetStringValue(const cJSON *const item)
{
    return FN(cJSON_GetStringValue)(item);
}

cJSON_bool cJSON_IsArray(const cJSON *const item)
{
    return FN(cJSON_IsArray)(item);
}

cJSON_bool cJSON_IsBool(const cJSON *const item)
{
    return FN(cJSON_IsBool)(item);
}

cJSON_bool cJSON_IsFalse(const cJSON *const item)
{
    return FN(cJSON_IsFalse)(item);
}

cJSON_bool cJSON_IsNull(const cJSON *const item)
{
    return FN(cJSON_IsNull)(item);
}

cJSON_bool cJSON_IsNumber(const cJSON *const item)
{
    return FN(cJSON_IsNumber)(item);
}

cJSON_bool cJSON_IsObject(const cJSON *const item)
{
    return FN(cJSON_IsObject)(item);
}

cJSON_bool cJSON_IsString(const cJSON *const item)
{
    return FN(cJSON_IsString)(item);
}

cJSON_bool cJSON_IsTrue(const cJSON *const item)
{
    return FN(cJSON_IsTrue)(item);
}

cJSON *cJSON_Parse(const char *value)
{
    return FN(cJSON_Parse)(value);
}

cJSON *cJSON_ParseWithLength(const char *value, size_t buffer_length)
{
    return FN(cJSON_ParseWithLength)(value, buffer_length);
}

char *cJSON_Print(const cJSON *item)
{
    return FN(cJSON_Print)(item);
}

char *cJSON_PrintUnformatted(const cJSON *item)
{
    return FN(cJSON_PrintUnformatted)(item);
}

cJSON_bool cJSON_ReplaceItemInObject(cJSON *object, const char *string,
                                     cJSON *newitem)
{
    return FN(cJSON_ReplaceItemInObject)(object, string, newitem);
}

cJSON_bool cJSON_ReplaceItemInObjectCaseSensitive(cJSON *object,
                                                  const char *string,
                                                  cJSON *newitem)
{
    return FN(cJSON_ReplaceItemInObjectCaseSensitive)(object, string, newitem);
}

cJSON_bool cJSON_ReplaceItemViaPointer(cJSON *const parent, cJSON *const item,
                                       cJSON *replacement)
{
    return FN(cJSON_ReplaceItemViaPointer)(parent, item, replacement);
}

char *cJSON_SetValuestring(cJSON *object, const char *valuestring)
{
    return FN(cJSON_SetValuestring)(object, valuestring);
}

const char *cJSON_Version(void)
{
    return FN(cJSON_Version)();
}

void cJSON_free(void *object)
{
    FN(cJSON_free)(object);
}
