#pragma once
// How keys are named on the target (--key-process): one expression, in one
// of two forms.
//
//   A template holding #{key} once, RIOT's spelling:  new:#{key}   #{key}:v2
//     the source key between a fixed prefix and suffix. One to one, so every
//     target key maps back to at most one source key.
//   A substitution, sed's spelling:  s/REGEX/REPLACEMENT/[g]
//     the first match (every match with g) of REGEX replaced by REPLACEMENT,
//     where \1..\9 are the regex's groups and \0 the whole match; a key the
//     regex does not match keeps its name. Any character may stand for `/`
//     (s|a/b|c|), and a backslash before it makes it literal.
//     A prefix swap, s/^PREFIX/NEW/ with both literal (NEW may be empty, to
//     strip the prefix), maps back too; any other substitution does not.

#include <memory>
#include <string>
#include <string_view>

#include "riot/key_transform.hpp"

namespace re2 {
class RE2;
}

namespace riot::transform_plugin {

class KeyRenaming {
 public:
  // Throws std::invalid_argument saying what is wrong with `expression`.
  static KeyRenaming parse(std::string_view expression);

  // The target key of a source key, in place.
  void rename(std::string& key) const;
  bool invertible() const { return form_ != Form::substitution; }
  // The source key a target key comes from, in place (invertible() only).
  KeyInverse unmap(std::string& key) const;

 private:
  enum class Form { affix, prefix_swap, substitution };

  Form form_ = Form::affix;
  // affix: prefix_ + key + suffix_. prefix_swap: from_ becomes prefix_.
  std::string prefix_;
  std::string suffix_;
  std::string from_;
  // substitution
  std::shared_ptr<const re2::RE2> regex_;
  std::string rewrite_;
  bool global_ = false;
};

}  // namespace riot::transform_plugin
