#pragma once
// A mistake in what the user asked for: a bad option or value, a malformed
// URI, a missing file, an invalid pipeline. Reported without a stack of
// context and mapped to exit code 2.

#include <stdexcept>
#include <string>

namespace riot::app {

class UsageError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// A usage error in the command line itself (an unknown option, a bad value,
// a missing argument): the command's --help shows the right form, so the
// message points to it.
class CommandLineError : public UsageError {
 public:
  using UsageError::UsageError;
};

}  // namespace riot::app
