#pragma once
// source.scan: walks one database with SCAN and emits every page of keys as a
// key batch.
//
// The walk survives faults: when the connection is lost (or times out, or
// answers something the parser rejects), or the server answers LOADING, the
// source reconnects with backoff and resumes from the last cursor it
// completed. SCAN's guarantee (every key present throughout is returned)
// holds across a reconnect; across a server restart only if the data
// persisted.

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "riot/components.hpp"
#include "riot/host_context.hpp"
#include "riot/redis/connection.hpp"
#include "riot/retry.hpp"

namespace riot::scan_plugin {

inline constexpr const char* kDefaultMatch = "*";
inline constexpr std::uint64_t kDefaultCount = 1000;

struct ScanOptions {
  std::string match = kDefaultMatch;
  std::optional<std::string> type;  // SCAN TYPE filter; none: every type
  std::uint64_t count = kDefaultCount;

  static ScanOptions from_config(const nlohmann::json& config);
};

class ScanSource final : public Source {
 public:
  // Connects at once so that a wrong address or password fails before the
  // run starts.
  ScanSource(redis::ConnectionOptions connection, ScanOptions options, RetryOptions retry,
             HostContext& host);

  std::optional<std::uint64_t> estimate_total() override;
  void run(KeyBatchWriter& out) override;

 private:
  // Sends one command until the server answers it, as the retry policy
  // allows; `what` describes it for messages. Nothing when the run stopped
  // first; throws when the retries run out.
  std::optional<redis::Reply> command_with_retries(std::span<const std::string_view> args,
                                                   const std::string& what);
  KeyBatch to_batch(redis::Reply& keys) const;

  redis::Connection connection_;
  ScanOptions options_;
  RetryOptions retry_;
  std::string count_text_;  // COUNT argument, formatted once
  HostContext& host_;
};

}  // namespace riot::scan_plugin
