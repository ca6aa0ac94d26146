#pragma once
// The second look at the keys a comparator found different: both sides read
// again and compared once more, so that a key written on the source while it
// was compared, or equal in content but not in DUMP bytes, is not reported.
//
// The source is read by type (values::ValueReader: whole, or a big key in
// chunks, each chunk probed against the target as soon as it is read, so
// that memory holds one chunk), a key of a type no datatype serves by DUMP,
// and in a quick comparison as a digest. What it reads goes through the same
// look at the target as the first records did (TargetLook).

#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "compare_options.hpp"
#include "key_look.hpp"
#include "riot/redis/client.hpp"
#include "riot/retrying_pipeline.hpp"
#include "riot/values/value_reader.hpp"
#include "source_facts.hpp"
#include "target_look.hpp"
#include "uncounted_host.hpp"

namespace riot::compare_plugin {

// A key found different at first sight.
struct Suspect {
  std::string key;         // on the target
  std::string source_key;  // on the source, when renamed; empty: `key`
  KeyLook first;

  const std::string& key_on_source() const { return source_key.empty() ? key : source_key; }
};

// Whether the two looks disagree about the source beyond what time changes
// (a TTL shrinking): another type, another class of difference, another
// detail. The difference may then be in flight.
bool source_changed(const KeyLook& first, const KeyLook& second);

class SecondLook {
 public:
  // `source` and `target` outlive it.
  SecondLook(redis::Client& source, const RetryOptions& retry, TargetLook& target,
             const CompareOptions& options, HostContext& host);

  // The second look at each suspect, in order (neither when neither side
  // holds the key any more, failed when it was reported as failed). False:
  // the run stopped.
  bool look(const std::vector<Suspect>& suspects, std::vector<KeyLook>& second);

 private:
  // The type the key is likely read as: the source's at first sight, else
  // the target's.
  static const std::string& likely_type(const KeyLook& first);
  // Runs `records` (read from the source, under the source's names) through
  // the target look under their target names and files each final look
  // under its key's suspect.
  bool settle(RecordBatch& records, std::vector<KeyLook>& second);

  UncountedHost host_;
  RetryingPipeline pipeline_;
  TargetLook& target_;
  CompareOptions options_;
  SourceFacts facts_;
  values::ValueReader values_;
  ChunkedKeys chunked_;
  // The suspect of each key being looked at again, by its source name.
  std::unordered_map<std::string_view, std::size_t> index_;
  const std::vector<Suspect>* suspects_ = nullptr;  // those of the look under way
  static constexpr std::size_t kNoSuspect = static_cast<std::size_t>(-1);
  std::vector<KeyLook> looks_;
};

}  // namespace riot::compare_plugin
