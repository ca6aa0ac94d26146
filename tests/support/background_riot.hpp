#pragma once
// `riot ARGS...` running in the background while a test changes or breaks
// its servers, and can be signalled (SIGINT, SIGTERM) like a user would.

#include <sys/types.h>

#include <chrono>
#include <filesystem>
#include <future>
#include <string>
#include <vector>

#include "support/process.hpp"

namespace riot::test {

// riot runs under /bin/sh, which writes its own pid to a file and then execs
// riot: riot keeps that pid, so the test can signal it.
class BackgroundRiot {
 public:
  // A riot still running after `timeout` is killed (and the result says so).
  explicit BackgroundRiot(const std::vector<std::string>& args,
                          std::chrono::milliseconds timeout = std::chrono::seconds(60));
  ~BackgroundRiot();  // waits for riot to end
  BackgroundRiot(const BackgroundRiot&) = delete;
  BackgroundRiot& operator=(const BackgroundRiot&) = delete;

  // riot's pid, once the shell wrote it (-1 if it never does).
  pid_t pid() const;
  // Waits for riot to end; call once.
  ProcessResult wait();

 private:
  std::filesystem::path pid_file_;
  std::future<ProcessResult> result_;
};

}  // namespace riot::test
