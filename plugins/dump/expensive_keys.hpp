#pragma once
// What a reader does when a read command on a batch (DUMP here; HGETALL or
// the like for a reader of structures) outlived the command timeout. The
// command may have been cheap for every key but one that costs the source
// seconds of blocked work; sent again as is, the source pays those seconds
// again at each retry. So after a timeout the reader sizes the batch's keys
// with cheap commands (key_sizes.hpp) and spares the source the keys whose
// read alone would take about the timeout: they are reported as failed by
// name and size, never read again, and the rest of the batch is read as
// usual. A batch of small keys that times out is a slow or unreachable
// server: it keeps the usual retries with backoff.
//
// Which keys are held responsible: those of at least `timeout` × 16 MiB/s,
// a pace every source serializes and sends at (at least 1 MiB: below that no
// key is blamed). When the same batch times out again, the source is slower
// than that: each further timeout halves the size, down to 1 MiB.

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>

#include "key_sizes.hpp"

namespace riot::dump_plugin {

class ExpensiveKeys {
 public:
  // `timeout`: the command timeout of the reader's connections (zero or
  // less: none, and so no timeout to explain).
  explicit ExpensiveKeys(std::chrono::milliseconds timeout) : timeout_(timeout) {}

  // The size from which a key is held responsible after the `timeouts`-th
  // timeout of the same batch (1 for the first).
  std::uint64_t threshold_bytes(int timeouts) const noexcept;

  bool is_expensive(const KeySize& size, int timeouts) const noexcept {
    return size.estimated_bytes() >= threshold_bytes(timeouts);
  }

  // Why `key` is not read: "DUMP of \"big\" (~300.0 MiB) exceeded the 2000 ms
  // command timeout; not repeated to spare the source; ...".
  std::string explain(std::string_view command, std::string_view key, const KeySize& size) const;

 private:
  std::chrono::milliseconds timeout_;
};

}  // namespace riot::dump_plugin
