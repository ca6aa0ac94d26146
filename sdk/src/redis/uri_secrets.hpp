#pragma once
// Where the secrets of a URI are, in any text a user may have written as one,
// well-formed or not: error messages quote that text and must never copy a
// password into a terminal or a log.

#include <string>
#include <string_view>
#include <vector>

namespace riot::redis::detail {

class UriSecrets {
 public:
  // `text` must outlive this object: parts are located by their address in it.
  explicit UriSecrets(std::string_view text);

  // `part` (a view into the text, or the whole text) with every secret byte
  // replaced: each run of them becomes one "***". A view that is not inside
  // the text is returned as it is.
  std::string shown(std::string_view part) const;

 private:
  std::string_view text_;
  std::vector<bool> secret_;  // one flag per byte of text_
};

}  // namespace riot::redis::detail
