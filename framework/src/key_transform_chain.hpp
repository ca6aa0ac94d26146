#pragma once
// A pipeline's key transforms applied as one chain, in document order (see
// riot/key_transform.hpp): which source keys a run takes, the name of each
// on the target, and, for a walk of the target, the source key behind each
// target key. Const and stateless beyond the transforms: every thread of a
// run uses the same chain.

#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "riot/host/pipeline_spec.hpp"
#include "riot/key_transform.hpp"
#include "riot/record.hpp"

namespace riot::host {

class KeyTransformChain {
 public:
  KeyTransformChain() = default;
  // The transforms outlive the chain.
  explicit KeyTransformChain(std::vector<const KeyTransform*> transforms);
  explicit KeyTransformChain(const std::vector<std::unique_ptr<KeyTransform>>& transforms);

  bool empty() const noexcept { return transforms_.empty(); }
  // Whether some transform may change a key's name.
  bool renames() const noexcept { return renames_; }
  // Whether every transform can map a target key back (a walk of the target
  // can be told apart only then).
  bool invertible() const noexcept { return invertible_; }

  // Removes the events of source keys some transform leaves out, keeping the
  // others in order; returns how many it removed.
  std::size_t select(KeyBatch& events) const;

  // Turns the keys of a walk of the target into the source keys they come
  // from, removing those no source key of the run becomes; returns how many
  // it removed. Only when invertible().
  std::size_t unmap(KeyBatch& events) const;

  // Gives each record its target key and keeps its source key in
  // Record::source_key when the two differ.
  void rename(RecordBatch& records) const;

  // A walk of the target (`sources_walk_target`: a comparison's extras pass;
  // a reconciliation stage with "walks": "target") needs the inverse:
  // without one the walk is skipped, and this says so for the log and the
  // summary. Nothing when every walk of `pipeline` can be traced back.
  std::optional<std::string> untraceable_walks(const PipelineSpec& pipeline,
                                               bool sources_walk_target) const;

 private:
  // `name` through every transform; false when one leaves it out.
  bool map(std::string& name) const;

  std::vector<const KeyTransform*> transforms_;
  bool renames_ = false;
  bool invertible_ = true;
};

// What a run says, in its log and summary, when a renaming without an
// inverse makes it skip `what` (a walk of the target).
std::string no_inverse_note(std::string_view what);

}  // namespace riot::host
