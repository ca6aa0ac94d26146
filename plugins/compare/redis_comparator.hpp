#pragma once
// comparator.redis: checks the target against what a reader read from the
// source, batch by batch, one pipelined round trip to the target per batch
// (target_look.hpp says what each record form sends). A key found different
// is looked at once more on both sides (second_look.hpp) and reported only
// if it still differs; each key either side holds gets exactly one outcome
// (HostContext::report_equal / report_difference), a key neither holds none.
// The target is only read.

#include <memory>
#include <vector>

#include "chunked_keys.hpp"
#include "compare_options.hpp"
#include "riot/components.hpp"
#include "riot/host_context.hpp"
#include "riot/redis/client.hpp"
#include "riot/retry.hpp"
#include "riot/retrying_pipeline.hpp"
#include "second_look.hpp"
#include "target_look.hpp"

namespace riot::compare_plugin {

class RedisComparator final : public Comparator {
 public:
  // Connects to both at once, so that a wrong address or password fails
  // before the run starts.
  RedisComparator(redis::ClientOptions target, redis::ClientOptions source, CompareOptions options,
                  RetryOptions retry, HostContext& host);

  void compare(RecordBatch& records) override;
  // The big keys whose last chunk never came (the run stopped) get no outcome.
  void flush() override;

  const redis::Client& target() const { return *target_; }
  const redis::Client& source() const { return *source_; }

 private:
  std::unique_ptr<redis::Client> target_;
  std::unique_ptr<redis::Client> source_;
  HostContext& host_;
  RetryingPipeline pipeline_;
  TargetLook look_;
  ChunkedKeys chunked_;
  SecondLook second_look_;
  // Reused across batches.
  std::vector<KeyLook> first_;
  std::vector<Suspect> suspects_;
  std::vector<KeyLook> second_;
};

}  // namespace riot::compare_plugin
