#pragma once
// codec.dump: reads each key as its DUMP serialization plus its TTL, in one
// pipelined round trip per batch.
//
// A batch survives faults: when the connection is lost (or times out, or
// answers something the parser rejects), or the source answers LOADING, the
// reader reconnects with backoff and reads the whole batch again; reading is
// harmless to repeat. A timeout is the exception: the DUMP of a big key may
// have cost the source seconds, so before sending the batch again the reader
// sizes its keys and spares the source those too big to read within the
// timeout (expensive_keys.hpp).

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "expensive_keys.hpp"
#include "riot/components.hpp"
#include "riot/host_context.hpp"
#include "riot/redis/client.hpp"
#include "riot/redis/keyed_commands.hpp"
#include "riot/redis/reply.hpp"
#include "riot/retry.hpp"
#include "riot/retrying_pipeline.hpp"

namespace riot::dump_plugin {

struct DumpOptions {
  bool read_type = false;  // also send TYPE for each key
  // A key the source no longer holds (or of another type than only_type)
  // becomes an erase record rather than a skipped key: live replication
  // propagates deletes, expiries and evictions that way.
  bool erase_missing = false;
  std::optional<std::string> only_type;  // keep keys of this type only

  static DumpOptions from_config(const nlohmann::json& config);
};

class DumpReader final : public Reader {
 public:
  // Connects at once (to every node a cluster routes to) so that a wrong
  // address or password fails before the run starts.
  DumpReader(redis::ClientOptions client, DumpOptions options, RetryOptions retry,
             HostContext& host);

  // Moves each key that is still present out of `keys` into its record. When
  // the retries run out, reports every key of the batch as failed and throws,
  // leaving `keys` untouched; when the run stops meanwhile, reports them and
  // returns without records. Keys too big to read within the command timeout
  // are reported as failed and removed from `keys` (spare_expensive_keys).
  void read(KeyBatch& keys, RecordBatch& out, RecordBatchWriter& early) override;

  const redis::Client& client() const { return *client_; }

 private:
  std::size_t commands_per_key() const { return options_.read_type ? 3 : 2; }
  void encode(const KeyBatch& keys, redis::KeyedCommands& commands) const;
  // Sends the batch until the source answers it, as the retry policy allows,
  // and returns when the answered attempt was sent (riot's monotonic clock);
  // nothing when the run stopped first. After a timeout, the keys too big to
  // read within it are reported as failed and removed from `keys` before the
  // next attempt.
  std::optional<Expiry::Clock::time_point> fetch_with_retries(KeyBatch& keys);
  // Sizes the keys of `keys` after the `timeouts`-th timeout of its DUMP
  // pipeline; reports and removes those held responsible. Throws IoError
  // when the sizing fails too.
  void spare_expensive_keys(KeyBatch& keys, int timeouts);
  // The first transient error reply ("LOADING ..."), or "" when there is none.
  std::string transient_refusal() const;
  void check_replies(const KeyBatch& keys) const;
  void report_batch(const KeyBatch& keys, const std::string& error);

  // Before client_: made from the options client_ is opened with.
  ExpensiveKeys expensive_keys_;
  std::unique_ptr<redis::Client> client_;
  DumpOptions options_;
  RetryingPipeline pipeline_;
  HostContext& host_;
  // The replies of the answered attempt; reused across batches.
  std::vector<redis::Reply> replies_;
};

}  // namespace riot::dump_plugin
