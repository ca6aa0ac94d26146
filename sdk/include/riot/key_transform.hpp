#pragma once
// A key transform: selects the keys a pipeline moves and names them on the
// target (transform.key_filter, transform.key_rename). The host creates one
// instance per transform stage and calls it from every thread at once, so
// its methods are const and keep no mutable state.
//
// The host runs a pipeline's transforms as a chain, in document order:
//   - right after the sources, on each source key: a key some transform
//     drops is never read (counted as keys_filtered);
//   - after the reader, on each record: the record takes the target key and
//     keeps the source key in Record::source_key;
//   - on the keys of a walk of the target (a comparison's extras pass, a
//     live reconciliation pass), in reverse order through unmap(): each
//     target key goes back to the source key it was copied from, or is
//     outside what the pipeline copies.

#include <string>

namespace riot {

// What unmap() found for a target key.
enum class KeyInverse {
  mapped,   // the key now holds the source key it comes from
  outside,  // no key the pipeline copies becomes this one: not the pipeline's
};

class KeyTransform {
 public:
  virtual ~KeyTransform() = default;

  // Turns a source key into its target key, in place (binary-safe). False:
  // the key is left out of the run; `key` is then unspecified.
  virtual bool map(std::string& key) const = 0;

  // Whether map() may change a key (false for a pure filter: the host then
  // skips the copy a renaming needs).
  virtual bool renames() const { return false; }

  // Whether unmap() can answer at all. A renaming with no inverse (a general
  // regular expression substitution) says no: the host then cannot tell the
  // target's keys apart and skips what needs it, with a warning.
  virtual bool invertible() const { return true; }

  // Turns a target key back into the source key map() made it from, in
  // place. Only called when invertible().
  virtual KeyInverse unmap(std::string& key) const = 0;
};

}  // namespace riot
