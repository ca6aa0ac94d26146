#include "expensive_keys.hpp"

#include <algorithm>

#include "riot/record.hpp"

namespace riot::dump_plugin {
namespace {

// The pace at which any source serializes a value and sends it (a DUMP of
// 300 MB took 3.3 s on a managed service: about 90 MB/s), with room to spare.
constexpr std::uint64_t kBytesPerSecond = 16ull << 20;
// Below this no key is held responsible for a timeout: reading it costs the
// source less than a millisecond or so.
constexpr std::uint64_t kSmallestExpensiveBytes = 1ull << 20;
// After this many halvings the threshold is at its floor anyway.
constexpr int kMaxHalvings = 63;

}  // namespace

std::uint64_t ExpensiveKeys::threshold_bytes(int timeouts) const noexcept {
  const auto timeout_ms = static_cast<std::uint64_t>(std::max<std::int64_t>(timeout_.count(), 0));
  const std::uint64_t within_timeout = timeout_ms * (kBytesPerSecond / 1000);
  const int halvings = std::clamp(timeouts - 1, 0, kMaxHalvings);
  return std::max(kSmallestExpensiveBytes, within_timeout >> halvings);
}

std::string ExpensiveKeys::explain(std::string_view command, std::string_view key,
                                   const KeySize& size) const {
  return std::string(command) + " of \"" + printable_key(key) + "\" (" + size.describe() +
         ") exceeded the " + std::to_string(timeout_.count()) +
         " ms command timeout; not repeated to spare the source; raise --command-timeout "
         "(command_timeout_ms), or copy big keys in chunks (--mem-limit with "
         "--mem-limit-policy struct, or --type struct)";
}

}  // namespace riot::dump_plugin
