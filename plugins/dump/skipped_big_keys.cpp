#include "skipped_big_keys.hpp"

#include <spdlog/spdlog.h>

#include "riot/byte_size.hpp"
#include "riot/metrics.hpp"
#include "riot/record.hpp"

namespace riot::dump_plugin {
namespace {

constexpr std::size_t kKeysNamedPerNote = 5;
constexpr std::size_t kNotesPerReader = 10;

}  // namespace

void SkippedBigKeys::skip(std::string_view key, const KeySize& size) {
  const std::string entry = "\"" + printable_key(key) + "\" (" + size.describe() + ")";
  host_.logger().warn("{} is over mem_limit_bytes (--mem-limit {}): skipped, not copied", entry,
                      format_bytes(limit_bytes_));
  if (batch_count_ < kKeysNamedPerNote) batch_named_ += (batch_named_.empty() ? "" : ", ") + entry;
  ++batch_count_;
}

void SkippedBigKeys::end_batch() {
  if (batch_count_ == 0) return;
  Metrics::add(host_.metrics().keys_skipped, batch_count_);
  if (notes_ < kNotesPerReader) {
    ++notes_;
    std::string note = std::to_string(batch_count_) + (batch_count_ == 1 ? " key" : " keys") +
                       " over --mem-limit (" + format_bytes(limit_bytes_) +
                       ") skipped, not copied: " + batch_named_;
    if (batch_count_ > kKeysNamedPerNote)
      note += " and " + std::to_string(batch_count_ - kKeysNamedPerNote) + " more (see the log)";
    if (notes_ == kNotesPerReader)
      note += "; further keys over the limit are in the log and in 'keys skipped' only";
    host_.add_summary_note(note);
  }
  batch_count_ = 0;
  batch_named_.clear();
}

}  // namespace riot::dump_plugin
