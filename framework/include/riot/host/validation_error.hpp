#pragma once
#include <string>
#include <vector>

namespace riot::host {

// One problem in a pipeline document or component configuration, located by
// its JSON pointer ("/stages/sink/config/uri").
struct ValidationError {
  std::string pointer;
  std::string message;

  std::string to_string() const { return (pointer.empty() ? "/" : pointer) + ": " + message; }
};
using ValidationErrors = std::vector<ValidationError>;

}  // namespace riot::host
