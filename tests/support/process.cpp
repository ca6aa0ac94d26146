#include "support/process.hpp"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <regex>
#include <stdexcept>
#include <system_error>

namespace riot::test {
namespace {

using Clock = std::chrono::steady_clock;

void make_pipe(int fds[2]) {
  if (::pipe2(fds, O_CLOEXEC) != 0) throw std::system_error(errno, std::generic_category(), "pipe");
}

[[noreturn]] void exec_child(const std::vector<std::string>& argv, const ProcessOptions& options,
                             int in_fd, int out_fd, int err_fd) {
  ::dup2(in_fd, STDIN_FILENO);
  ::dup2(out_fd, STDOUT_FILENO);
  ::dup2(err_fd, STDERR_FILENO);
  for (const auto& [name, value] : options.environment) ::setenv(name.c_str(), value.c_str(), 1);
  std::vector<char*> args;
  for (const auto& arg : argv) args.push_back(const_cast<char*>(arg.c_str()));
  args.push_back(nullptr);
  ::execvp(args[0], args.data());
  ::_exit(127);
}

}  // namespace

std::string ProcessResult::describe() const {
  std::string text = "exit code " + std::to_string(exit_code);
  if (timed_out) text += " (timed out)";
  text += "\n--- stdout ---\n" + out + "\n--- stderr ---\n" + err;
  return text;
}

ProcessResult run_process_checked(const std::vector<std::string>& argv,
                                  const ProcessOptions& options, const std::string& context) {
  ProcessResult result = run_process(argv, options);
  if (result.exit_code == 0) return result;
  std::string command;
  for (const std::string& argument : argv) command += (command.empty() ? "" : " ") + argument;
  throw std::runtime_error(command + " failed: " + result.describe() + context);
}

bool ProcessResult::mentions(const std::string& text) const {
  return err.find(text) != std::string::npos || out.find(text) != std::string::npos;
}

long long ProcessResult::summary_count(const std::string& label) const {
  const std::regex pattern("  " + label + ": +([0-9]+)");
  std::smatch match;
  if (!std::regex_search(err, match, pattern)) return -1;
  return std::stoll(match[1].str());
}

ProcessResult run_process(const std::vector<std::string>& argv, const ProcessOptions& options) {
  int in[2], out[2], err[2];
  make_pipe(in);
  make_pipe(out);
  make_pipe(err);
  const auto started = Clock::now();
  const pid_t pid = ::fork();
  if (pid < 0) throw std::system_error(errno, std::generic_category(), "fork");
  if (pid == 0) exec_child(argv, options, in[0], out[1], err[1]);
  ::close(in[0]);
  ::close(out[1]);
  ::close(err[1]);

  // Feed stdin up front (tests pass small documents), then close it so the
  // child sees end of input.
  std::size_t written = 0;
  ::signal(SIGPIPE, SIG_IGN);
  while (written < options.stdin_data.size()) {
    const ssize_t n =
        ::write(in[1], options.stdin_data.data() + written, options.stdin_data.size() - written);
    if (n <= 0) break;
    written += static_cast<std::size_t>(n);
  }
  ::close(in[1]);

  ProcessResult result;
  std::array<pollfd, 2> fds{{{out[0], POLLIN, 0}, {err[0], POLLIN, 0}}};
  std::array<std::string*, 2> sinks{&result.out, &result.err};
  int open_streams = 2;
  const auto deadline = started + options.timeout;
  char buffer[65536];
  while (open_streams > 0) {
    const auto remaining =
        std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()).count();
    if (remaining <= 0) {
      result.timed_out = true;
      ::kill(pid, SIGKILL);
      break;
    }
    const int ready = ::poll(fds.data(), fds.size(), static_cast<int>(remaining));
    if (ready < 0 && errno == EINTR) continue;
    for (std::size_t i = 0; i < fds.size(); ++i) {
      if (fds[i].fd < 0 || fds[i].revents == 0) continue;
      const ssize_t n = ::read(fds[i].fd, buffer, sizeof buffer);
      if (n > 0) {
        sinks[i]->append(buffer, static_cast<std::size_t>(n));
      } else if (n == 0 || errno != EINTR) {
        ::close(fds[i].fd);
        fds[i].fd = -1;
        --open_streams;
      }
    }
  }
  for (auto& fd : fds)
    if (fd.fd >= 0) ::close(fd.fd);

  int status = 0;
  while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  result.seconds = std::chrono::duration<double>(Clock::now() - started).count();
  return result;
}

ProcessResult run_riot(const std::vector<std::string>& args, const ProcessOptions& options) {
  std::vector<std::string> argv{RIOT_BINARY};
  argv.insert(argv.end(), args.begin(), args.end());
  return run_process(argv, options);
}

}  // namespace riot::test
