/* The part of the Redis module API that the tests' modules use, declared by
 * us from the documented ABI: Debian packages no redismodule.h.
 *
 * How a module reaches the server: Redis dlopen()s the module and calls its
 * RedisModule_OnLoad(ctx, argv, argc). The first word of `ctx` is the
 * server's lookup function, RedisModule_GetApi(name, &pointer), which fills
 * a function pointer given the API function's name ("RedisModule_Alloc").
 * RedisModule_Init below fetches every function this header declares that
 * way and registers the module under its name and API version 1. Nothing is
 * linked against the server: a module built with this header loads into any
 * Redis that exports these functions (Redis 6.0 and later; the tests run 7.0).
 *
 * Include it in one translation unit per module: the function pointers are
 * that unit's own (static). */
#ifndef RIOT_MODULE_API_H
#define RIOT_MODULE_API_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#define REDISMODULE_OK 0
#define REDISMODULE_ERR 1
#define REDISMODULE_APIVER_1 1

/* RedisModule_OpenKey modes. */
#define REDISMODULE_READ (1 << 0)
#define REDISMODULE_WRITE (1 << 1)

/* RedisModule_KeyType: the key does not exist (other values: its type). */
#define REDISMODULE_KEYTYPE_EMPTY 0

/* The keyspace notification class of module types ('d' in
 * notify-keyspace-events, part of 'A'). */
#define REDISMODULE_NOTIFY_MODULE (1 << 13)

#define REDISMODULE_ERRORMSG_WRONGTYPE \
  "WRONGTYPE Operation against a key holding the wrong kind of value"

/* Marks RedisModule_OnLoad, the one symbol a module built with hidden
 * visibility exports. */
#define RIOT_MODULE_ENTRY_POINT __attribute__((visibility("default")))

typedef struct RedisModuleCtx RedisModuleCtx;
typedef struct RedisModuleKey RedisModuleKey;
typedef struct RedisModuleString RedisModuleString;
typedef struct RedisModuleIO RedisModuleIO;
typedef struct RedisModuleType RedisModuleType;
typedef struct RedisModuleDigest RedisModuleDigest;

typedef int (*RedisModuleCmdFunc)(RedisModuleCtx* ctx, RedisModuleString** argv, int argc);

/* The callbacks of a data type. */
typedef void* (*RedisModuleTypeLoadFunc)(RedisModuleIO* rdb, int encver);
typedef void (*RedisModuleTypeSaveFunc)(RedisModuleIO* rdb, void* value);
typedef void (*RedisModuleTypeRewriteFunc)(RedisModuleIO* aof, RedisModuleString* key, void* value);
typedef size_t (*RedisModuleTypeMemUsageFunc)(const void* value);
typedef void (*RedisModuleTypeDigestFunc)(RedisModuleDigest* digest, void* value);
typedef void (*RedisModuleTypeFreeFunc)(void* value);

/* The method table RedisModule_CreateDataType reads. Its layout only ever
 * grows at the end, and `version` tells the server how much of it the module
 * filled: version 1 is exactly these fields (later versions append aux
 * load/save, copy, defrag... which the server then leaves unset). */
#define REDISMODULE_TYPE_METHOD_VERSION 1
typedef struct RedisModuleTypeMethods {
  uint64_t version;
  RedisModuleTypeLoadFunc rdb_load;
  RedisModuleTypeSaveFunc rdb_save;
  RedisModuleTypeRewriteFunc aof_rewrite;
  RedisModuleTypeMemUsageFunc mem_usage; /* MEMORY USAGE */
  RedisModuleTypeDigestFunc digest;      /* DEBUG DIGEST; optional */
  RedisModuleTypeFreeFunc free;
} RedisModuleTypeMethods;

/* Every API function used, as X(return type, name without "RedisModule_",
 * parameters). */
#define RIOT_MODULE_API_FUNCTIONS(X)                                                           \
  X(void*, Alloc, (size_t bytes))                                                              \
  X(void*, Realloc, (void* pointer, size_t bytes))                                             \
  X(void, Free, (void* pointer))                                                               \
  X(void, SetModuleAttribs, (RedisModuleCtx * ctx, const char* name, int version, int apiver)) \
  X(int, CreateCommand,                                                                        \
    (RedisModuleCtx * ctx, const char* name, RedisModuleCmdFunc command, const char* flags,    \
     int first_key, int last_key, int key_step))                                               \
  X(RedisModuleType*, CreateDataType,                                                          \
    (RedisModuleCtx * ctx, const char* name, int encoding_version,                             \
     RedisModuleTypeMethods* methods))                                                         \
  X(RedisModuleKey*, OpenKey, (RedisModuleCtx * ctx, RedisModuleString * name, int mode))      \
  X(void, CloseKey, (RedisModuleKey * key))                                                    \
  X(int, KeyType, (RedisModuleKey * key))                                                      \
  X(RedisModuleType*, ModuleTypeGetType, (RedisModuleKey * key))                               \
  X(void*, ModuleTypeGetValue, (RedisModuleKey * key))                                         \
  X(int, ModuleTypeSetValue, (RedisModuleKey * key, RedisModuleType * type, void* value))      \
  X(const char*, StringPtrLen, (const RedisModuleString* string, size_t* length))              \
  X(int, WrongArity, (RedisModuleCtx * ctx))                                                   \
  X(int, ReplyWithError, (RedisModuleCtx * ctx, const char* error))                            \
  X(int, ReplyWithSimpleString, (RedisModuleCtx * ctx, const char* status))                    \
  X(int, ReplyWithLongLong, (RedisModuleCtx * ctx, long long number))                          \
  X(int, ReplyWithArray, (RedisModuleCtx * ctx, long length))                                  \
  X(int, ReplyWithStringBuffer, (RedisModuleCtx * ctx, const char* bytes, size_t length))      \
  X(int, ReplyWithNull, (RedisModuleCtx * ctx))                                                \
  X(int, ReplicateVerbatim, (RedisModuleCtx * ctx))                                            \
  X(int, NotifyKeyspaceEvent,                                                                  \
    (RedisModuleCtx * ctx, int type, const char* event, RedisModuleString* key))               \
  X(void, SaveUnsigned, (RedisModuleIO * io, uint64_t value))                                  \
  X(uint64_t, LoadUnsigned, (RedisModuleIO * io))                                              \
  X(void, SaveStringBuffer, (RedisModuleIO * io, const char* bytes, size_t length))            \
  X(char*, LoadStringBuffer, (RedisModuleIO * io, size_t * length))                            \
  /* format: one letter per argument: 's' a RedisModuleString *, 'b' bytes and their size_t */ \
  /* length, 'c' a C string, 'l' a long long */                                                \
  X(void, EmitAOF, (RedisModuleIO * io, const char* command, const char* format, ...))

#define RIOT_MODULE_DECLARE_FUNCTION(type, name, parameters) \
  static type(*RedisModule_##name) parameters = NULL;
RIOT_MODULE_API_FUNCTIONS(RIOT_MODULE_DECLARE_FUNCTION)
#undef RIOT_MODULE_DECLARE_FUNCTION

/* Fetches every function above from the server and registers the module.
 * Call it first in RedisModule_OnLoad; REDISMODULE_ERR when the server lacks
 * one of them. */
static int RedisModule_Init(RedisModuleCtx* ctx, const char* name, int version, int apiver) {
  int (*get_api)(const char* name, void* pointer);
  /* The lookup function is the context's first word. It is copied rather
   * than cast: ISO C has no conversion from an object pointer to a function
   * pointer. */
  memcpy(&get_api, ctx, sizeof get_api);
#define RIOT_MODULE_FETCH_FUNCTION(type, name, parameters)                         \
  if (get_api("RedisModule_" #name, (void*)&RedisModule_##name) != REDISMODULE_OK) \
    return REDISMODULE_ERR;
  RIOT_MODULE_API_FUNCTIONS(RIOT_MODULE_FETCH_FUNCTION)
#undef RIOT_MODULE_FETCH_FUNCTION
  RedisModule_SetModuleAttribs(ctx, name, version, apiver);
  return REDISMODULE_OK;
}

#endif /* RIOT_MODULE_API_H */
