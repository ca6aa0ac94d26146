#include "key_transform_chain.hpp"

#include <algorithm>
#include <string>

namespace riot::host {

KeyTransformChain::KeyTransformChain(std::vector<const KeyTransform*> transforms)
    : transforms_(std::move(transforms)) {
  for (const KeyTransform* transform : transforms_) {
    renames_ = renames_ || transform->renames();
    invertible_ = invertible_ && transform->invertible();
  }
}

KeyTransformChain::KeyTransformChain(const std::vector<std::unique_ptr<KeyTransform>>& transforms)
    : KeyTransformChain([&transforms] {
        std::vector<const KeyTransform*> chain;
        for (const auto& transform : transforms) chain.push_back(transform.get());
        return chain;
      }()) {}

std::string no_inverse_note(std::string_view what) {
  return std::string(what) +
         " skipped: the key renaming has no inverse (a regular expression substitution), so "
         "the target's keys cannot be traced back to source keys; use a template (new:#{key}) "
         "or a prefix swap (s/^old:/new:/) to have it";
}

bool KeyTransformChain::map(std::string& name) const {
  return std::all_of(transforms_.begin(), transforms_.end(),
                     [&name](const KeyTransform* transform) { return transform->map(name); });
}

std::size_t KeyTransformChain::select(KeyBatch& events) const {
  if (transforms_.empty()) return 0;
  std::string name;  // a scratch copy: map() may rename on its way
  const auto left_out = std::remove_if(events.begin(), events.end(), [&](const KeyEvent& event) {
    name.assign(event.key);
    return !map(name);
  });
  const auto removed = static_cast<std::size_t>(events.end() - left_out);
  events.erase(left_out, events.end());
  return removed;
}

std::size_t KeyTransformChain::unmap(KeyBatch& events) const {
  if (transforms_.empty()) return 0;
  const auto outside = std::remove_if(events.begin(), events.end(), [this](KeyEvent& event) {
    for (auto it = transforms_.rbegin(); it != transforms_.rend(); ++it) {
      if ((*it)->unmap(event.key) == KeyInverse::outside) return true;
    }
    return false;
  });
  const auto removed = static_cast<std::size_t>(events.end() - outside);
  events.erase(outside, events.end());
  return removed;
}

void KeyTransformChain::rename(RecordBatch& records) const {
  if (!renames_) return;
  std::string name;
  for (Record& record : records) {
    name.assign(record.key);
    if (!map(name) || name == record.key) continue;
    record.source_key = std::move(record.key);
    record.key = std::move(name);
    name.clear();
  }
}

std::optional<std::string> KeyTransformChain::untraceable_walks(const PipelineSpec& pipeline,
                                                                bool sources_walk_target) const {
  if (invertible_) return std::nullopt;
  if (sources_walk_target) return no_inverse_note("the search for extra keys");
  const bool walks = std::any_of(pipeline.reconcile.begin(), pipeline.reconcile.end(),
                                 [](const StageSpec& stage) { return stage.walks_target; });
  if (walks) return no_inverse_note("the reconciliation passes' walk of the target");
  return std::nullopt;
}

}  // namespace riot::host
