#pragma once
// sink.restore: applies dump records with RESTORE ... ABSTTL and erase records
// with DEL, one pipelined round trip per batch.

#include <cstdint>
#include <span>
#include <string_view>
#include <vector>

#include "retry_policy.hpp"
#include "riot/components.hpp"
#include "riot/host_context.hpp"
#include "riot/redis/command_buffer.hpp"
#include "riot/redis/connection.hpp"
#include "riot/redis/reply.hpp"

namespace riot::restore_plugin {

struct RestoreOptions {
  bool replace = true;  // RESTORE ... REPLACE: overwrite keys the target already holds

  static RestoreOptions from_config(const nlohmann::json& config);
};

class RestoreSink final : public Sink {
 public:
  // Connects at once so that a wrong address or password fails before the
  // run starts.
  RestoreSink(redis::ConnectionOptions connection, RestoreOptions options, RetryPolicy retry,
              HostContext& host);

  void write(RecordBatch& records) override;

 private:
  void encode(const RecordBatch& records);
  // Sends the batch, reconnecting and re-sending it as the retry policy
  // allows. Throws the last IoError once it allows no more attempts.
  void send_with_retries(std::size_t batch_size);
  void remember_acknowledged();
  // Counts the successful replies and reports every error reply with its key.
  void apply_replies(const RecordBatch& records, std::span<const redis::Reply> replies);

  redis::Connection connection_;
  RestoreOptions options_;
  RetryPolicy retry_;
  HostContext& host_;
  // Reused across batches: clear() keeps their capacity.
  redis::CommandBuffer commands_;
  std::vector<redis::Reply> replies_;       // the current attempt's
  std::vector<redis::Reply> acknowledged_;  // best of the failed attempts
};

}  // namespace riot::restore_plugin
