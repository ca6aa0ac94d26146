#pragma once
// source.scan: walks one database with SCAN and emits every page of keys as a
// key batch.

#include <cstdint>
#include <optional>
#include <string>

#include "riot/components.hpp"
#include "riot/host_context.hpp"
#include "riot/redis/connection.hpp"

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
  ScanSource(redis::ConnectionOptions connection, ScanOptions options, HostContext& host);

  std::optional<std::uint64_t> estimate_total() override;
  void run(KeyBatchWriter& out) override;

 private:
  KeyBatch to_batch(redis::Reply& keys) const;

  redis::Connection connection_;
  ScanOptions options_;
  std::string count_text_;  // COUNT argument, formatted once
  HostContext& host_;
};

}  // namespace riot::scan_plugin
