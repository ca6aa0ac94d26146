#include "redis_comparator.hpp"

#include <spdlog/spdlog.h>

#include <utility>

namespace riot::compare_plugin {

RedisComparator::RedisComparator(redis::ClientOptions target, redis::ClientOptions source,
                                 CompareOptions options, RetryOptions retry, HostContext& host)
    : target_(redis::Client::open(std::move(target))),
      source_(redis::Client::open(std::move(source))),
      host_(host),
      pipeline_(retry, host),
      look_({*target_, pipeline_, host, "not compared"}, options.ttl_tolerance_ms),
      second_look_(*source_, retry, look_, options, host) {}

void RedisComparator::compare(RecordBatch& records) {
  if (records.empty()) return;
  if (!look_.look(records, chunked_, first_)) return;

  std::uint64_t equal = 0;
  suspects_.clear();
  for (std::size_t i = 0; i < records.size(); ++i) {
    KeyLook& look = first_[i];
    if (look.outcome == KeyLook::Outcome::equal) ++equal;
    if (look.differs())
      suspects_.push_back({records[i].key, records[i].source_key, std::move(look)});
  }
  if (!second_look_.look(suspects_, second_)) {
    if (equal > 0) host_.report_equal(equal);
    return;
  }

  std::uint64_t after_recheck = 0;
  std::uint64_t reported = 0;
  for (std::size_t i = 0; i < suspects_.size(); ++i) {
    const KeyLook& second = second_[i];
    if (second.outcome == KeyLook::Outcome::equal) ++after_recheck;
    if (!second.differs()) continue;
    const Suspect& suspect = suspects_[i];
    host_.report_difference(
        second.report(suspect.key, source_changed(suspect.first, second), suspect.source_key));
    ++reported;
  }
  if (equal + after_recheck > 0) host_.report_equal(equal + after_recheck, after_recheck);
  host_.logger().debug("batch of {} records: {} equal, {} different at first sight, {} reported",
                       records.size(), equal, suspects_.size(), reported);
}

void RedisComparator::flush() {
  if (chunked_.size() > 0)
    host_.logger().debug("{} big keys were not compared to the end", chunked_.size());
}

}  // namespace riot::compare_plugin
