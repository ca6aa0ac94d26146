#include "support/background_riot.hpp"

#include <stdlib.h>
#include <unistd.h>

#include <fstream>
#include <thread>

namespace riot::test {

using namespace std::chrono_literals;

BackgroundRiot::BackgroundRiot(const std::vector<std::string>& args,
                               std::chrono::milliseconds timeout) {
  std::string pattern = (std::filesystem::path(RIOT_TEST_TMPDIR) / "riot-XXXXXX").string();
  std::filesystem::create_directories(RIOT_TEST_TMPDIR);
  const int fd = ::mkstemp(pattern.data());
  if (fd >= 0) ::close(fd);
  pid_file_ = pattern;
  std::vector<std::string> argv{"/bin/sh", "-c", "echo $$ > \"$0\"; exec \"$@\"",
                                pid_file_.string(), RIOT_BINARY};
  argv.insert(argv.end(), args.begin(), args.end());
  ProcessOptions options;
  options.timeout = timeout;
  result_ = std::async(std::launch::async, [argv, options] { return run_process(argv, options); });
}

BackgroundRiot::~BackgroundRiot() {
  if (result_.valid()) result_.wait();
  std::error_code ignored;
  std::filesystem::remove(pid_file_, ignored);
}

pid_t BackgroundRiot::pid() const {
  const auto deadline = std::chrono::steady_clock::now() + 10s;
  while (std::chrono::steady_clock::now() < deadline) {
    std::ifstream in(pid_file_);
    pid_t pid = -1;
    if (in >> pid && pid > 0) return pid;
    std::this_thread::sleep_for(5ms);
  }
  return -1;
}

ProcessResult BackgroundRiot::wait() {
  return result_.get();
}

}  // namespace riot::test
