#pragma once
// An error of one stage of a run, its message prefixed with the stage
// ("sink: target 127.0.0.1:6380: ...") so that the user knows where it arose.

#include <stdexcept>
#include <string>
#include <string_view>

namespace riot::host {

class StageError : public std::runtime_error {
 public:
  StageError(std::string_view stage, std::string_view message)
      : std::runtime_error(std::string(stage) + ": " + std::string(message)) {}
};

}  // namespace riot::host
