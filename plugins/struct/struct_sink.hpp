#pragma once
// sink.struct: applies value records through the datatype of their type
// (values::ValueWriter: overwrite atomically, or merge) and erase records
// with DEL, one pipelined round trip per round of records.
//
// A round holds at most one record per key, so that the chunks of a big key
// are applied in order even when one of them is sent again: a batch holding
// three chunks of a key takes three rounds. Faults are survived as
// sink.restore survives them: a lost connection re-sends what is not settled,
// a transient refusal (OOM, LOADING) re-sends the record alone with backoff,
// and whatever cannot be written is reported with its key. Every record is a
// MULTI/EXEC transaction that is applied whole or not at all; a chunk that
// was in flight when the connection was lost is the exception: whether it
// was applied is unknown and sending a list's RPUSH or a string's APPEND
// twice would corrupt the value, so its key is reported as failed and its
// staging key deleted (a later event or reconciliation copies it again).

#include <cstddef>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "riot/components.hpp"
#include "riot/host_context.hpp"
#include "riot/redis/client.hpp"
#include "riot/redis/errors.hpp"
#include "riot/retry.hpp"
#include "riot/retrying_pipeline.hpp"
#include "riot/values/value_writer.hpp"

namespace riot::struct_plugin {

struct StructSinkOptions {
  WriteOptions write;
  bool replace = true;

  static StructSinkOptions from_config(const nlohmann::json& config);
};

class StructSink final : public Sink {
 public:
  // Connects at once (to every node a cluster routes to) so that a wrong
  // address or password fails before the run starts.
  StructSink(redis::ClientOptions client, StructSinkOptions options, RetryOptions retry,
             HostContext& host);

  // Throws once the retries run out (or a failure no retry mends occurs),
  // after reporting every record of the round that was not written.
  void write(RecordBatch& records) override;

  // Deletes the staging keys of big keys whose last chunk never came (the run
  // stopped meanwhile).
  void flush() override;

  const redis::Client& client() const { return *client_; }

 private:
  // Sends the records of round_ until each is settled.
  void send_round(const RecordBatch& records);
  void encode(const RecordBatch& records, redis::KeyedCommands& commands);
  // The attempt before this one failed on the connection: gives up on the
  // chunks it may or may not have applied (see the file comment).
  void give_up_uncertain_chunks(const RecordBatch& records);
  void settle(const RecordBatch& records, std::vector<redis::Reply>& replies);
  // The target closed the connection on an argument longer than its
  // proto-max-bulk-len: the heaviest pending record fails by name, the
  // others are sent again.
  void fail_oversized(const RecordBatch& records, const std::string& reply);
  void give_up(const RecordBatch& records, const RetryOutcome& outcome);
  void fail(const Record& record, const std::string& error);
  void report_pending(const RecordBatch& records, const std::string& connection_failure,
                      std::string_view suffix);
  std::vector<std::string_view> first_pending_keys(const RecordBatch& records) const;
  // DELs the staging keys of abandoned writes; a failure is logged only.
  void discard_staging_keys();
  redis::RefusalContext refusal_context() const;

  std::unique_ptr<redis::Client> client_;
  StructSinkOptions options_;
  RetryingPipeline pipeline_;
  HostContext& host_;
  values::ValueWriter writer_;
  std::vector<std::size_t> round_;     // indices of the records of this round
  std::vector<std::size_t> pending_;   // those not settled yet
  std::vector<std::size_t> replies_;   // replies of each pending record's commands
  std::vector<std::string> refusals_;  // the transient error reply of each pending record
  bool awaiting_replies_ = false;      // an attempt was encoded and not settled
};

}  // namespace riot::struct_plugin
