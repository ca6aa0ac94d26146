#pragma once
// codec.dump: reads each key as its DUMP serialization plus its TTL, in one
// pipelined round trip per batch.
//
// Strings take a cheaper path by default (string_fast_path): the batch is
// read with GET and PTTL, which costs the source less than DUMP (no
// serialization, no checksum) and the target less than RESTORE (SET, no
// verification); a string becomes a value record of type "string" that
// sink.restore writes with SET. The keys that answer WRONGTYPE are no
// strings: they are read with DUMP in a second round of the same batch, so
// a batch costs two round trips only when it mixes strings and other types.
//
// With mem_limit_bytes, every key is sized first (key_probe.hpp): a key over
// the limit is skipped and reported (skipped_big_keys.hpp), or read in
// chunks through its datatype (values::ValueReader), and the others are read
// by the command their type calls for.
//
// Where the source refuses GET to the user (an ACL that grants DUMP only, as
// the least-privilege recipe does) the reader reads every key with DUMP from
// then on; where the target refuses SET, sink.restore writes strings with
// RESTORE of a payload it makes.
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

#include "dump_options.hpp"
#include "expensive_keys.hpp"
#include "key_probe.hpp"
#include "riot/components.hpp"
#include "riot/host_context.hpp"
#include "riot/redis/client.hpp"
#include "riot/redis/keyed_commands.hpp"
#include "riot/redis/reply.hpp"
#include "riot/retry.hpp"
#include "riot/retrying_pipeline.hpp"
#include "riot/values/value_reader.hpp"
#include "skipped_big_keys.hpp"

namespace riot::dump_plugin {

class DumpReader final : public Reader {
 public:
  // Connects at once (to every node a cluster routes to) so that a wrong
  // address or password fails before the run starts.
  DumpReader(redis::ClientOptions client, DumpOptions options, RetryOptions retry,
             HostContext& host);

  // Moves each key that is still present out of `keys` into its record. When
  // the retries run out, reports every key of the batch as failed and throws;
  // when the run stops meanwhile, reports them and returns without records.
  // Keys too big to read within the command timeout are reported as failed
  // and removed from `keys` (spare_expensive_keys). The chunks of a big key
  // read by type go through `early`, its last chunk into `out`.
  void read(KeyBatch& keys, RecordBatch& out, RecordBatchWriter& early) override;

  const redis::Client& client() const { return *client_; }

 private:
  // The command that reads a key's value in a round.
  enum class ReadBy : std::uint8_t { get, dump };

  // What a batch read: added to the metrics once per batch.
  struct Tally {
    std::uint64_t read = 0;
    std::uint64_t gone = 0;  // skipped, or erased with erase_missing
    std::uint64_t erased = 0;
    std::uint64_t bytes = 0;
  };

  std::size_t commands_per_key() const { return options_.read_type ? 3 : 2; }
  // Sizes the keys of `keys` and takes those over mem_limit_bytes out of it
  // (skipped, or read in chunks into `out` and `early`); sets the command
  // that reads each remaining key from its type. False: the run stopped.
  bool set_aside_big_keys(KeyBatch& keys, RecordBatch& out, RecordBatchWriter& early);
  // Reads the key of `probe` in chunks through its datatype; false when it
  // is to be read as any other key (no datatype serves its type, or it
  // changed meanwhile).
  bool read_in_chunks(const KeyEvent& event, const KeyProbe& probe, RecordBatch& out,
                      RecordBatchWriter& early);
  // Reads `keys` by the commands of plan_, moving those that GET found to
  // be no string into `not_strings`. False: the run stopped.
  bool read_round(KeyBatch& keys, RecordBatch& out, KeyBatch& not_strings, Tally& tally);
  void encode(const KeyBatch& keys, redis::KeyedCommands& commands) const;
  // Whether an error reply refuses the command to the user or the server
  // (NOPERM, an unknown command), rather than concerns one key.
  bool refuses_the_command(const std::string& reply) const;
  // The source refused GET: turns the fast path off for this reader.
  void read_strings_by_dump(const std::string& refusal);
  // Sends the batch until the source answers it, as the retry policy allows,
  // and returns when the answered attempt was sent (riot's monotonic clock);
  // nothing when the run stopped first. After a timeout, the keys too big to
  // read within it are reported as failed and removed from `keys` before the
  // next attempt.
  std::optional<Expiry::Clock::time_point> fetch_with_retries(KeyBatch& keys);
  // Reports the batch and throws when `outcome` gave up; false when the run
  // stopped (the batch reported); true when answered.
  bool accept_outcome(const KeyBatch& keys, const RetryOutcome& outcome);
  // Sizes the keys of `keys` after the `timeouts`-th timeout of its read
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
  SkippedBigKeys skipped_big_keys_;
  // Reads the big keys in chunks (over_limit "struct" only).
  std::optional<values::ValueReader> values_;
  // Reused across batches: the command reading each key of the round, the
  // replies of its answered attempt, the keys of the second round, the
  // probes of the big-key sizing.
  std::vector<ReadBy> plan_;
  std::vector<redis::Reply> replies_;
  KeyBatch not_strings_;
  std::vector<KeyProbe> probes_;
};

}  // namespace riot::dump_plugin
