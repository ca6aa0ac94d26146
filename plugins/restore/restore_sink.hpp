#pragma once
// sink.restore: applies dump records with RESTORE (the TTL left, relative),
// erase records with DEL, and the value records codec.dump makes (strings
// read by GET, the chunks of big keys read by type) through their datatypes
// (values::ValueWriter: SET key value PX ttl for a string), all in one
// pipelined round trip per batch.
//
// A batch survives faults: when the connection is lost (or times out, or
// answers something the parser rejects) the sink reconnects with backoff and
// re-sends every record not yet settled; RESTORE ... REPLACE, SET and DEL
// give the same result applied twice. Records refused with a transient error
// reply (OOM at maxmemory, LOADING after a restart) are re-sent alone, with
// the same backoff. Whatever cannot be written in the end is reported, key by
// key, never dropped. A refusal about the target rather than a key (a
// read-only replica, a user without RESTORE: see redis::classify_error_reply)
// stops the run at once with one message.
//
// The chunks of a big key come in order and must be applied in order: a
// batch that holds several records of one key is sent in rounds, one record
// per key each. A chunk in flight when the connection was lost may or may
// not have been applied, and applying a list's RPUSH twice would corrupt the
// value: its key is reported as failed and its staging key deleted, as
// sink.struct does.

#include <cstddef>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "riot/components.hpp"
#include "riot/host_context.hpp"
#include "riot/redis/client.hpp"
#include "riot/redis/errors.hpp"
#include "riot/redis/keyed_commands.hpp"
#include "riot/redis/reply.hpp"
#include "riot/retry.hpp"
#include "riot/retrying_pipeline.hpp"
#include "riot/values/value_writer.hpp"

namespace riot::restore_plugin {

struct RestoreOptions {
  bool replace = true;  // RESTORE ... REPLACE: overwrite keys the target already holds

  static RestoreOptions from_config(const nlohmann::json& config);
};

class RestoreSink final : public Sink {
 public:
  // Connects at once (to every node a cluster routes to) so that a wrong
  // address or password fails before the run starts.
  RestoreSink(redis::ClientOptions client, RestoreOptions options, RetryOptions retry,
              HostContext& host);

  // Throws once the retries run out (or a failure no retry can mend, such as
  // a refused password, occurs), after reporting every record of the batch
  // that was not written.
  void write(RecordBatch& records) override;

  // Deletes the staging keys of big keys whose last chunk never came (the run
  // stopped meanwhile).
  void flush() override;

  const redis::Client& client() const { return *client_; }

 private:
  // Sends the records of round_ until each is settled.
  void send_round(const RecordBatch& records);
  // One operation of RetryingPipeline over round_: the attempts until each
  // record is settled, or set aside in resend_.
  void send_attempts(const RecordBatch& records);
  // Takes the records whose TTL ran out by `now` off the pending list (and
  // counts them as expired): RESTORE would treat a TTL of 0 as none. A chunk
  // of a big key is never dropped: its key is written whole or not at all.
  void drop_expired(const RecordBatch& records, Expiry::Clock::time_point now);
  // The commands for the pending records, in their order, with the TTLs left
  // at `now`; notes how many replies each record gets.
  void encode(const RecordBatch& records, Expiry::Clock::time_point now,
              redis::KeyedCommands& commands);
  // Whether a payload outlives the send (a record's, referenced) or not
  // (one made for the command, copied into it).
  enum class Payload : std::uint8_t { referenced, copied };
  // RESTORE of `record`'s key with `payload`.
  void append_restore(const Record& record, std::string_view payload, Payload held,
                      Expiry::Clock::time_point now, redis::KeyedCommands& commands) const;
  // The target refused SET for the user or the server (NOPERM, renamed
  // away): from now on strings go by RESTORE of string_payload.hpp's
  // payload.
  void write_strings_by_restore(const std::string& refusal);
  // The attempt before this one failed on the connection: gives up on the
  // chunks it may or may not have applied (see the file comment).
  void give_up_uncertain_chunks(const RecordBatch& records);
  // Counts what the target applied, reports what it refused for good, and
  // keeps pending what it refused for a transient reason.
  void settle(const RecordBatch& records, std::vector<redis::Reply>& replies);
  // What became of `record` given its replies.
  values::WriteJudgement judge(const Record& record, bool by_restore,
                               std::span<const redis::Reply> replies);
  // The target closed the connection on an argument longer than its
  // proto-max-bulk-len. On a cluster the batch went to several nodes and the
  // command at fault is not known, but the largest pending record is one such
  // (Redis refuses a bulk above the limit, whatever else it holds): it fails
  // by name, with every record as large, and the others stay pending to be
  // sent again. Commands applied before the connection closed are applied
  // again: RESTORE ... REPLACE gives the same result twice.
  void fail_oversized(const RecordBatch& records, const std::string& reply);
  // How the target's error replies are classified.
  redis::RefusalContext refusal_context() const;
  // Ends a batch whose retries are over: reports every pending record, then
  // throws when the retries ran out (an IoError when the connection failed,
  // a ReplyError when the target kept refusing); returns when the run stops.
  void give_up(const RecordBatch& records, const RetryOutcome& outcome);
  // Reports every pending record as failed: with `connection_failure` when
  // set, else with the error reply that refused it; `suffix` ends each error.
  void report_pending(const RecordBatch& records, const std::string& connection_failure,
                      std::string_view suffix);
  // Reports `record` as failed; a big key's remaining chunks are skipped.
  void fail(const Record& record, const std::string& error);
  std::vector<std::string_view> first_pending_keys(const RecordBatch& records) const;
  // DELs the staging keys of abandoned writes; a failure is logged only.
  void discard_staging_keys();

  std::unique_ptr<redis::Client> client_;
  RestoreOptions options_;
  RetryingPipeline pipeline_;
  HostContext& host_;
  values::ValueWriter values_;
  std::vector<std::size_t> round_;          // indices of the records of this round
  std::vector<std::size_t> pending_;        // those not settled yet
  std::vector<std::size_t> reply_counts_;   // replies of each pending record's commands
  std::vector<std::string> refusals_;       // the transient error reply of each pending record
  std::vector<std::size_t> still_pending_;  // scratch for settle()
  std::vector<std::string> still_refused_;  // scratch for settle()
  std::vector<bool> by_restore_;            // whether each pending record went by RESTORE
  std::vector<std::size_t> resend_;         // strings the target refused to SET: by RESTORE
  bool awaiting_replies_ = false;           // an attempt was encoded and not settled
  bool strings_by_restore_ = false;         // the target refused SET once
};

}  // namespace riot::restore_plugin
