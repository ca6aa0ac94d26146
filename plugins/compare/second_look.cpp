#include "second_look.hpp"

#include <utility>

namespace riot::compare_plugin {
namespace {

values::ValueReadOptions read_options(const CompareOptions& options) {
  values::ValueReadOptions read;
  read.chunk_above_bytes = options.chunk_above_bytes;
  read.chunk_bytes = options.chunk_bytes;
  read.memory_samples = options.memory_samples;
  read.erase_missing = true;  // a key gone from the source is compared as such
  return read;
}

// Hands each chunk of a big key read again to the target look at once.
class ProbingWriter final : public RecordBatchWriter {
 public:
  explicit ProbingWriter(std::function<bool(RecordBatch&)> settle) : settle_(std::move(settle)) {}

  bool hand_over(RecordBatch& records) override {
    stopped_ = stopped_ || !settle_(records);
    records.clear();
    return !stopped_;
  }
  bool stopped() const noexcept { return stopped_; }

 private:
  std::function<bool(RecordBatch&)> settle_;
  bool stopped_ = false;
};

}  // namespace

bool source_changed(const KeyLook& first, const KeyLook& second) {
  if (!second.differs()) return false;
  const bool type_known = first.source_type != "unknown";
  if (type_known && first.source_type != second.source_type) return true;
  if (first.difference != second.difference) return true;
  // A TTL's detail shows the time left, which moves; DUMP bytes say nothing
  // of the content.
  if (second.difference == DifferenceClass::ttl || first.by_dump_bytes) return false;
  return first.detail != second.detail;
}

SecondLook::SecondLook(redis::Client& source, const RetryOptions& retry, TargetLook& target,
                       const CompareOptions& options, HostContext& host)
    : host_(host),
      pipeline_(retry, host_),
      target_(target),
      options_(options),
      facts_({source, pipeline_, host_, "not read"}, std::nullopt),
      values_(source, pipeline_, read_options(options), host_) {}

const std::string& SecondLook::likely_type(const KeyLook& first) {
  return first.source_type.empty() || first.source_type == "unknown" ? first.target_type
                                                                     : first.source_type;
}

bool SecondLook::look(const std::vector<Suspect>& suspects, std::vector<KeyLook>& second) {
  // A key the source read reported as failed keeps this look: no outcome.
  second.assign(suspects.size(), KeyLook{.outcome = KeyLook::Outcome::failed});
  if (suspects.empty()) return true;
  suspects_ = &suspects;
  index_.clear();
  KeyBatch by_value;
  KeyBatch by_dump;
  for (std::size_t i = 0; i < suspects.size(); ++i) {
    const Suspect& suspect = suspects[i];
    index_.emplace(suspect.key_on_source(), i);
    const std::string& type = likely_type(suspect.first);
    const bool no_datatype = !type.empty() && host_.datatype(type) == nullptr;
    KeyBatch& batch = options_.mode == CompareMode::full && no_datatype ? by_dump : by_value;
    batch.push_back(KeyEvent{.key = suspect.key_on_source()});
  }

  RecordBatch records;
  FactsTally tally;
  if (options_.mode == CompareMode::quick) {
    if (!facts_.read_digests(by_value, records, tally)) return false;
    return settle(records, second);
  }
  if (!facts_.read_dumps(by_dump, records, tally)) return false;
  ProbingWriter early([&](RecordBatch& chunks) { return settle(chunks, second); });
  values_.read(by_value, records, early);
  if (early.stopped() || host_.cancellation().cancelled()) return false;
  return settle(records, second);
}

bool SecondLook::settle(RecordBatch& records, std::vector<KeyLook>& second) {
  // Each record back under its target name, as the first look read it.
  std::vector<std::size_t> suspect_of(records.size(), kNoSuspect);
  for (std::size_t i = 0; i < records.size(); ++i) {
    const auto suspect = index_.find(records[i].key);
    if (suspect == index_.end()) continue;
    suspect_of[i] = suspect->second;
    const Suspect& named = (*suspects_)[suspect->second];
    if (!named.source_key.empty()) {
      records[i].source_key = std::move(records[i].key);
      records[i].key = named.key;
    }
  }
  if (!target_.look(records, chunked_, looks_)) return false;
  for (std::size_t i = 0; i < records.size(); ++i) {
    if (looks_[i].outcome == KeyLook::Outcome::pending) continue;
    if (suspect_of[i] != kNoSuspect) second[suspect_of[i]] = std::move(looks_[i]);
  }
  return true;
}

}  // namespace riot::compare_plugin
