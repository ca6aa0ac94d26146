#pragma once
// Runs a program (usually the riot launcher) the way a user would, capturing
// its output and exit code, bounded in time.

#include <chrono>
#include <string>
#include <utility>
#include <vector>

namespace riot::test {

struct ProcessResult {
  int exit_code = -1;      // the program's exit code, or 128 + signal
  bool timed_out = false;  // killed after the timeout
  std::string out;         // standard output
  std::string err;         // standard error
  double seconds = 0;      // wall time

  // For assertion messages.
  std::string describe() const;
  // Whether standard error or standard output holds `text`.
  bool mentions(const std::string& text) const;
  // The number after "LABEL:" in riot's summary ("keys written"), or -1
  // when the summary has no such line.
  long long summary_count(const std::string& label) const;
};

struct ProcessOptions {
  std::chrono::milliseconds timeout{std::chrono::seconds(120)};
  std::string stdin_data;
  std::vector<std::pair<std::string, std::string>> environment;  // added/overridden
};

ProcessResult run_process(const std::vector<std::string>& argv, const ProcessOptions& options = {});

// Like run_process, but throws std::runtime_error naming the command and
// showing its output when it does not exit with 0; `context` ends the
// message (log tails, say).
ProcessResult run_process_checked(const std::vector<std::string>& argv,
                                  const ProcessOptions& options = {},
                                  const std::string& context = "");

// Runs the riot launcher built with the tests.
ProcessResult run_riot(const std::vector<std::string>& args, const ProcessOptions& options = {});

}  // namespace riot::test
