/* riotblobs: a Redis module of the tests' own that registers a data type, so
 * that riot's replication of module types is tested against a real server
 * (no module with a data type is packaged here).
 *
 * A value of the type "riotblobs" is an ordered list of binary blobs (NUL,
 * CR/LF, 0xff are ordinary bytes; a blob may be empty, and so may the list:
 * a key may hold zero blobs). Commands:
 *
 *   RIOTBLOBS.SET key [blob ...]     the key becomes these blobs (its TTL goes,
 *                                    as with SET); +OK
 *   RIOTBLOBS.APPEND key [blob ...]  adds the blobs at the end, creating the
 *                                    key (possibly empty) when missing, TTL
 *                                    kept; the number of blobs it holds then
 *   RIOTBLOBS.GET key                the blobs in order; nil for no key
 *
 * Keys of another type answer WRONGTYPE. Values are saved in RDB files (so
 * DUMP/RESTORE, replicas and restarts carry them), rewritten into the AOF as
 * a SET followed by one APPEND per blob, measured by MEMORY USAGE, and
 * announced by keyspace notifications of the module class ('d'). */
#include "riot_module_api.h"

#define RIOTBLOBS_TYPE_NAME "riotblobs" /* the 9 characters TYPE answers */
#define RIOTBLOBS_ENCODING_VERSION 0

typedef struct Blob {
  char* bytes;
  size_t length;
} Blob;

typedef struct Blobs {
  Blob* items;
  size_t count;
  size_t capacity;
  size_t total_bytes; /* of every blob, for MEMORY USAGE */
} Blobs;

static RedisModuleType* blobs_type;

static Blobs* blobs_create(void) {
  Blobs* blobs = RedisModule_Alloc(sizeof *blobs);
  blobs->items = NULL;
  blobs->count = blobs->capacity = blobs->total_bytes = 0;
  return blobs;
}

static void blobs_free(void* value) {
  Blobs* blobs = value;
  for (size_t i = 0; i < blobs->count; ++i) RedisModule_Free(blobs->items[i].bytes);
  RedisModule_Free(blobs->items);
  RedisModule_Free(blobs);
}

/* Takes `bytes` (allocated with RedisModule_Alloc) as the last blob. */
static void blobs_push(Blobs* blobs, char* bytes, size_t length) {
  if (blobs->count == blobs->capacity) {
    blobs->capacity = blobs->capacity == 0 ? 4 : 2 * blobs->capacity;
    blobs->items = RedisModule_Realloc(blobs->items, blobs->capacity * sizeof *blobs->items);
  }
  blobs->items[blobs->count].bytes = bytes;
  blobs->items[blobs->count].length = length;
  ++blobs->count;
  blobs->total_bytes += length;
}

static void blobs_push_copies(Blobs* blobs, RedisModuleString** argv, int argc) {
  for (int i = 0; i < argc; ++i) {
    size_t length = 0;
    const char* bytes = RedisModule_StringPtrLen(argv[i], &length);
    /* One byte more: a zero-length allocation may be NULL. */
    char* copy = RedisModule_Alloc(length + 1);
    memcpy(copy, bytes, length);
    blobs_push(blobs, copy, length);
  }
}

/* ---- the data type's callbacks ---------------------------------------- */

static void blobs_rdb_save(RedisModuleIO* rdb, void* value) {
  const Blobs* blobs = value;
  RedisModule_SaveUnsigned(rdb, blobs->count);
  for (size_t i = 0; i < blobs->count; ++i)
    RedisModule_SaveStringBuffer(rdb, blobs->items[i].bytes, blobs->items[i].length);
}

static void* blobs_rdb_load(RedisModuleIO* rdb, int encoding_version) {
  if (encoding_version != RIOTBLOBS_ENCODING_VERSION) return NULL;
  Blobs* blobs = blobs_create();
  const uint64_t count = RedisModule_LoadUnsigned(rdb);
  for (uint64_t i = 0; i < count; ++i) {
    size_t length = 0;
    char* bytes = RedisModule_LoadStringBuffer(rdb, &length);
    blobs_push(blobs, bytes, length);
  }
  return blobs;
}

static void blobs_aof_rewrite(RedisModuleIO* aof, RedisModuleString* key, void* value) {
  const Blobs* blobs = value;
  RedisModule_EmitAOF(aof, "RIOTBLOBS.SET", "s", key);
  for (size_t i = 0; i < blobs->count; ++i)
    RedisModule_EmitAOF(aof, "RIOTBLOBS.APPEND", "sb", key, blobs->items[i].bytes,
                        blobs->items[i].length);
}

static size_t blobs_memory_usage(const void* value) {
  const Blobs* blobs = value;
  return sizeof *blobs + blobs->capacity * sizeof *blobs->items + blobs->total_bytes;
}

/* ---- commands ------------------------------------------------------------ */

/* Opens the key `name` into *key: REDISMODULE_ERR, after replying
 * WRONGTYPE, when it holds another type. A missing key opened for reading
 * only is NULL. */
static int open_blobs_key(RedisModuleCtx* ctx, RedisModuleString* name, int mode,
                          RedisModuleKey** key) {
  *key = RedisModule_OpenKey(ctx, name, mode);
  if (*key != NULL && RedisModule_KeyType(*key) != REDISMODULE_KEYTYPE_EMPTY &&
      RedisModule_ModuleTypeGetType(*key) != blobs_type) {
    RedisModule_CloseKey(*key);
    RedisModule_ReplyWithError(ctx, REDISMODULE_ERRORMSG_WRONGTYPE);
    return REDISMODULE_ERR;
  }
  return REDISMODULE_OK;
}

/* What a write tells replicas, the AOF and keyspace subscribers. */
static void announce_write(RedisModuleCtx* ctx, const char* event, RedisModuleString* key) {
  RedisModule_ReplicateVerbatim(ctx);
  RedisModule_NotifyKeyspaceEvent(ctx, REDISMODULE_NOTIFY_MODULE, event, key);
}

static int set_command(RedisModuleCtx* ctx, RedisModuleString** argv, int argc) {
  if (argc < 2) return RedisModule_WrongArity(ctx);
  RedisModuleKey* key;
  if (open_blobs_key(ctx, argv[1], REDISMODULE_READ | REDISMODULE_WRITE, &key) != REDISMODULE_OK)
    return REDISMODULE_OK;
  Blobs* blobs = blobs_create();
  blobs_push_copies(blobs, argv + 2, argc - 2);
  RedisModule_ModuleTypeSetValue(key, blobs_type, blobs); /* frees the old value */
  RedisModule_CloseKey(key);
  announce_write(ctx, "riotblobs.set", argv[1]);
  return RedisModule_ReplyWithSimpleString(ctx, "OK");
}

static int append_command(RedisModuleCtx* ctx, RedisModuleString** argv, int argc) {
  if (argc < 2) return RedisModule_WrongArity(ctx);
  RedisModuleKey* key;
  if (open_blobs_key(ctx, argv[1], REDISMODULE_READ | REDISMODULE_WRITE, &key) != REDISMODULE_OK)
    return REDISMODULE_OK;
  Blobs* blobs;
  if (RedisModule_KeyType(key) == REDISMODULE_KEYTYPE_EMPTY) {
    blobs = blobs_create();
    RedisModule_ModuleTypeSetValue(key, blobs_type, blobs);
  } else {
    blobs = RedisModule_ModuleTypeGetValue(key);
  }
  blobs_push_copies(blobs, argv + 2, argc - 2);
  const long long count = (long long)blobs->count;
  RedisModule_CloseKey(key);
  announce_write(ctx, "riotblobs.append", argv[1]);
  return RedisModule_ReplyWithLongLong(ctx, count);
}

static int get_command(RedisModuleCtx* ctx, RedisModuleString** argv, int argc) {
  if (argc != 2) return RedisModule_WrongArity(ctx);
  RedisModuleKey* key;
  if (open_blobs_key(ctx, argv[1], REDISMODULE_READ, &key) != REDISMODULE_OK) return REDISMODULE_OK;
  if (key == NULL || RedisModule_KeyType(key) == REDISMODULE_KEYTYPE_EMPTY) {
    RedisModule_CloseKey(key); /* accepts NULL */
    return RedisModule_ReplyWithNull(ctx);
  }
  const Blobs* blobs = RedisModule_ModuleTypeGetValue(key);
  RedisModule_ReplyWithArray(ctx, (long)blobs->count);
  for (size_t i = 0; i < blobs->count; ++i)
    RedisModule_ReplyWithStringBuffer(ctx, blobs->items[i].bytes, blobs->items[i].length);
  RedisModule_CloseKey(key);
  return REDISMODULE_OK;
}

RIOT_MODULE_ENTRY_POINT int RedisModule_OnLoad(RedisModuleCtx* ctx, RedisModuleString** argv,
                                               int argc) {
  (void)argv;
  (void)argc;
  if (RedisModule_Init(ctx, "riotblobs", 1, REDISMODULE_APIVER_1) != REDISMODULE_OK)
    return REDISMODULE_ERR;

  RedisModuleTypeMethods methods = {
      .version = REDISMODULE_TYPE_METHOD_VERSION,
      .rdb_load = blobs_rdb_load,
      .rdb_save = blobs_rdb_save,
      .aof_rewrite = blobs_aof_rewrite,
      .mem_usage = blobs_memory_usage,
      .digest = NULL,
      .free = blobs_free,
  };
  blobs_type =
      RedisModule_CreateDataType(ctx, RIOTBLOBS_TYPE_NAME, RIOTBLOBS_ENCODING_VERSION, &methods);
  if (blobs_type == NULL) return REDISMODULE_ERR;

  /* The key is the first argument: first key 1, last key 1, step 1. */
  if (RedisModule_CreateCommand(ctx, "riotblobs.set", set_command, "write deny-oom", 1, 1, 1) !=
          REDISMODULE_OK ||
      RedisModule_CreateCommand(ctx, "riotblobs.append", append_command, "write deny-oom", 1, 1,
                                1) != REDISMODULE_OK ||
      RedisModule_CreateCommand(ctx, "riotblobs.get", get_command, "readonly", 1, 1, 1) !=
          REDISMODULE_OK)
    return REDISMODULE_ERR;
  return REDISMODULE_OK;
}
