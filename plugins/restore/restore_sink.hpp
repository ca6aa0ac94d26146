#pragma once
// sink.restore: applies dump records with RESTORE (the TTL left, relative) and
// erase records with DEL, one pipelined round trip per batch.
//
// A batch survives faults: when the connection is lost (or times out, or
// answers something the parser rejects) the sink reconnects with backoff and
// re-sends every record not yet settled; RESTORE ... REPLACE and DEL give the
// same result applied twice. Records refused with a transient error reply
// (OOM at maxmemory, LOADING after a restart) are re-sent alone, with the
// same backoff. Whatever cannot be written in the end is reported, key by
// key, never dropped. A refusal about the target rather than a key (a
// read-only replica, a user without RESTORE: see redis::classify_error_reply)
// stops the run at once with one message.

#include <cstddef>
#include <memory>
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

  const redis::Client& client() const { return *client_; }

 private:
  // Takes the records whose TTL ran out by `now` off the pending list (and
  // counts them as expired): RESTORE would treat a TTL of 0 as none.
  void drop_expired(const RecordBatch& records, Expiry::Clock::time_point now);
  // The commands for the pending records, in their order, with the TTLs left
  // at `now`.
  void encode(const RecordBatch& records, Expiry::Clock::time_point now,
              redis::KeyedCommands& commands) const;
  // Counts what the target applied, reports what it refused for good, and
  // keeps pending what it refused for a transient reason.
  void settle(const RecordBatch& records, std::vector<redis::Reply>& replies);
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
  std::vector<std::string_view> first_pending_keys(const RecordBatch& records) const;

  std::unique_ptr<redis::Client> client_;
  RestoreOptions options_;
  RetryingPipeline pipeline_;
  HostContext& host_;
  std::vector<std::size_t> pending_;        // indices of the records not settled yet
  std::vector<std::string> refusals_;       // the transient error reply of each pending record
  std::vector<std::size_t> still_pending_;  // scratch for settle()
  std::vector<std::string> still_refused_;  // scratch for settle()
};

}  // namespace riot::restore_plugin
