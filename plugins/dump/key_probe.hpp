#pragma once
// What codec.dump asks about each key before reading it when big keys are
// looked for (mem_limit_bytes): its size, type and TTL, in one pipelined
// round trip per batch (MEMORY USAGE key SAMPLES n, TYPE key, PTTL key).
// Where a managed service or an ACL refuses MEMORY, the size comes from the
// type's length command instead (STRLEN, HLEN, ...), one round trip more:
// those keys are ranked by their length (key_sizes.hpp).
//
// Both rounds go through the reader's RetryingPipeline: a lost connection or
// a LOADING source is retried as the read itself is.

#include <cstdint>
#include <string>
#include <vector>

#include "key_sizes.hpp"
#include "riot/record.hpp"
#include "riot/redis/client.hpp"
#include "riot/retrying_pipeline.hpp"

namespace riot::dump_plugin {

struct KeyProbe {
  KeySize size;
  std::string type;                     // as TYPE answered: "none" when gone
  std::int64_t pttl = -2;               // PTTL's answer: -1 persistent, -2 gone
  Expiry::Clock::time_point sent_at{};  // when the round that read it was sent

  bool gone() const noexcept { return type == "none" || pttl == -2; }
  Expiry expiry() const noexcept { return pttl >= 0 ? Expiry::after(pttl, sent_at) : Expiry(); }
};

// Probes every key of `keys` into `probes` (same order). Returns the
// outcome of the round that did not answer, or an answered outcome.
RetryOutcome probe_keys(redis::Client& client, RetryingPipeline& pipeline, const KeyBatch& keys,
                        int memory_samples, std::vector<KeyProbe>& probes);

}  // namespace riot::dump_plugin
