#include "support/redis_server.hpp"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <string_view>
#include <system_error>
#include <thread>

#include "support/test_files.hpp"

namespace riot::test {
namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

constexpr auto kStartTimeout = std::chrono::seconds(10);
constexpr auto kStopGracePeriod = std::chrono::seconds(5);
constexpr auto kPollInterval = std::chrono::milliseconds(10);
constexpr int kPortAttempts = 3;
constexpr std::size_t kLogTail = 8192;

[[noreturn]] void throw_errno(const std::string& what) {
  throw std::system_error(errno, std::generic_category(), what);
}

fs::path find_on_path(std::string_view program) {
  const char* path = std::getenv("PATH");
  std::string_view directories = path != nullptr ? path : "/usr/local/bin:/usr/bin:/bin";
  while (true) {
    const auto colon = directories.find(':');
    const std::string_view directory = directories.substr(0, colon);
    const fs::path candidate = fs::path(directory.empty() ? "." : directory) / program;
    if (::access(candidate.c_str(), X_OK) == 0) return candidate;
    if (colon == std::string_view::npos) break;
    directories.remove_prefix(colon + 1);
  }
  throw std::runtime_error(std::string(program) + " was not found on PATH");
}

std::string tail_of(const fs::path& file) {
  std::ifstream in(file, std::ios::binary);
  if (!in) return "(no " + file.filename().string() + ")";
  std::stringstream content;
  content << in.rdbuf();
  const std::string text = content.str();
  return text.size() > kLogTail ? "..." + text.substr(text.size() - kLogTail) : text;
}

// Whether the process is stopped by a signal, from /proc/<pid>/stat: unlike
// waitpid(WUNTRACED), which reports a stop only once, it can be asked again.
bool is_stopped(pid_t pid) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/stat");
  std::string stat;
  std::getline(in, stat);
  // "pid (comm) S ...": the state follows the last ')', as comm may hold one.
  const auto close = stat.rfind(')');
  return close != std::string::npos && close + 2 < stat.size() && stat[close + 2] == 'T';
}

// Returns once the signal took effect, so that a test's next step cannot race
// it; bounded in time in case the process died meanwhile.
void wait_for_stopped_state(pid_t pid, bool stopped) {
  const auto deadline = Clock::now() + kStopGracePeriod;
  while (is_stopped(pid) != stopped && Clock::now() < deadline)
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
}

std::string describe_exit(int status) {
  if (WIFEXITED(status)) return "exit code " + std::to_string(WEXITSTATUS(status));
  if (WIFSIGNALED(status)) return "killed by signal " + std::to_string(WTERMSIG(status));
  return "status " + std::to_string(status);
}

}  // namespace

std::string redis_config_string(std::string_view value) {
  std::string out = "\"";
  for (const char c : value) {
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  return out + "\"";
}

std::string RedisServer::log_tail() const {
  return tail_of(directory_ / "redis.log");
}

std::vector<std::string> managed_service_config() {
  std::vector<std::string> lines;
  for (const char* command :
       {"CONFIG", "SYNC", "PSYNC", "REPLICAOF", "SLAVEOF", "BGSAVE", "MIGRATE", "DEBUG", "KEYS"})
    lines.push_back(std::string("rename-command ") + command + " \"\"");
  return lines;
}

std::uint16_t free_port() {
  const int socket = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (socket < 0) throw_errno("socket");
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  address.sin_port = 0;  // the kernel picks a free one
  socklen_t length = sizeof address;
  if (::bind(socket, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0 ||
      ::getsockname(socket, reinterpret_cast<sockaddr*>(&address), &length) != 0) {
    const int error = errno;
    ::close(socket);
    errno = error;
    throw_errno("binding 127.0.0.1:0");
  }
  ::close(socket);
  return ntohs(address.sin_port);
}

RedisServer::RedisServer(RedisServerOptions options)
    : options_(std::move(options)), directory_(make_temp_directory("redis")) {
  // Another process may take the free port before redis-server binds it.
  for (int attempt = 1;; ++attempt) {
    port_ = free_port();
    try {
      start();
      return;
    } catch (const std::exception& error) {
      const bool port_taken =
          std::string_view(error.what()).find("Address already in use") != std::string_view::npos;
      if (!port_taken || attempt == kPortAttempts) {
        std::error_code ignored;
        fs::remove_all(directory_, ignored);
        throw;
      }
    }
  }
}

RedisServer::~RedisServer() {
  stop();
  std::error_code ignored;
  fs::remove_all(directory_, ignored);
}

std::string RedisServer::uri(int db) const {
  redis::Uri uri;
  uri.scheme = options_.tls ? redis::Scheme::tls : redis::Scheme::tcp;
  uri.host = "127.0.0.1";
  uri.port = port_;
  uri.password = options_.password;
  uri.db = db;
  return uri.to_string(/*reveal_password=*/true);
}

redis::ConnectionOptions RedisServer::client_options(int db) const {
  redis::ConnectionOptions options;
  options.uri = redis::Uri::parse(uri(db));
  options.client_name = "riot-test";
  if (options_.tls) {
    options.tls.verify = redis::TlsVerify::ca;
    options.tls.ca_file = options_.tls->ca_file.string();
    options.tls.cert_file = options_.tls->client_cert_file.string();
    options.tls.key_file = options_.tls->client_key_file.string();
  }
  return options;
}

redis::Connection RedisServer::connect(int db) const {
  redis::Connection connection(client_options(db));
  connection.connect();
  return connection;
}

void RedisServer::start() {
  if (pid_ > 0) return;
  const fs::path server = find_on_path("redis-server");
  const fs::path config = directory_ / "redis.conf";
  {
    std::ofstream out(config, std::ios::trunc);
    out << "bind 127.0.0.1\n";
    if (options_.tls) {
      const RedisServerTls& tls = *options_.tls;
      out << "port 0\n"
          << "tls-port " << port_ << "\n"
          << "tls-cert-file " << redis_config_string(tls.cert_file.string()) << "\n"
          << "tls-key-file " << redis_config_string(tls.key_file.string()) << "\n"
          << "tls-ca-cert-file " << redis_config_string(tls.ca_file.string()) << "\n"
          << "tls-auth-clients " << (tls.auth_clients ? "yes" : "no") << "\n";
    } else {
      out << "port " << port_ << "\n";
    }
    out << "dir " << redis_config_string(directory_.string()) << "\n"
        << "logfile " << redis_config_string((directory_ / "redis.log").string()) << "\n"
        << "daemonize no\n"
        << "save \"\"\n"
        << "appendonly " << (options_.persistence ? "yes" : "no") << "\n";
    if (!options_.password.empty())
      out << "requirepass " << redis_config_string(options_.password) << "\n";
    for (const auto& line : options_.config) out << line << "\n";
    if (!out) throw std::runtime_error("cannot write " + config.string());
  }

  // Everything the child needs is prepared before fork: between fork and
  // exec only async-signal-safe calls are allowed.
  const std::string program = server.string();
  const std::string config_path = config.string();
  const std::string output_path = (directory_ / "stdout.log").string();
  const char* const sentinel_flag = options_.sentinel ? "--sentinel" : nullptr;
  char* const argv[] = {const_cast<char*>(program.c_str()), const_cast<char*>(config_path.c_str()),
                        const_cast<char*>(sentinel_flag), nullptr};
  const pid_t parent = ::getpid();
  const pid_t child = ::fork();
  if (child < 0) throw_errno("fork");
  if (child == 0) {
    // A test binary that crashes must not leave servers behind.
    ::prctl(PR_SET_PDEATHSIG, SIGKILL);
    if (::getppid() != parent) ::_exit(126);
    const int output = ::open(output_path.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
    const int input = ::open("/dev/null", O_RDONLY);
    if (output >= 0) {
      ::dup2(output, STDOUT_FILENO);
      ::dup2(output, STDERR_FILENO);
    }
    if (input >= 0) ::dup2(input, STDIN_FILENO);
    ::execv(argv[0], argv);
    ::_exit(127);
  }
  pid_ = child;

  redis::ConnectionOptions probe = client_options();
  probe.client_name.clear();
  probe.connect_timeout = std::chrono::milliseconds(500);
  probe.command_timeout = std::chrono::milliseconds(1000);
  std::string last_error = "none";
  const auto deadline = Clock::now() + kStartTimeout;
  while (Clock::now() < deadline) {
    int status = 0;
    if (::waitpid(pid_, &status, WNOHANG) == pid_) {
      pid_ = -1;
      throw std::runtime_error("redis-server on port " + std::to_string(port_) + " exited (" +
                               describe_exit(status) + ") before answering PING.\nredis.log:\n" +
                               tail_of(directory_ / "redis.log") + "\nstdout/stderr:\n" +
                               tail_of(directory_ / "stdout.log"));
    }
    try {
      redis::Connection connection(probe);
      connection.connect();
      // A server still loading its data answers -LOADING.
      const redis::Reply reply = connection.command({"PING"});
      if (reply.is_status() && reply.str == "PONG") return;
      last_error = reply.str;
    } catch (const std::exception& error) {
      last_error = error.what();
    }
    std::this_thread::sleep_for(kPollInterval);
  }
  stop();
  throw std::runtime_error("redis-server on port " + std::to_string(port_) +
                           " did not answer PING within 10 s (last error: " + last_error +
                           ").\nredis.log:\n" + tail_of(directory_ / "redis.log"));
}

void RedisServer::stop() {
  if (pid_ <= 0) return;
  ::kill(pid_, SIGTERM);
  // A paused (stopped) process only acts on SIGTERM once continued.
  ::kill(pid_, SIGCONT);
  const auto deadline = Clock::now() + kStopGracePeriod;
  int status = 0;
  while (Clock::now() < deadline) {
    const pid_t reaped = ::waitpid(pid_, &status, WNOHANG);
    if (reaped == pid_ || (reaped < 0 && errno == ECHILD)) {
      pid_ = -1;
      return;
    }
    std::this_thread::sleep_for(kPollInterval);
  }
  ::kill(pid_, SIGKILL);
  while (::waitpid(pid_, &status, 0) < 0 && errno == EINTR) {
  }
  pid_ = -1;
}

void RedisServer::pause() {
  if (pid_ <= 0) return;
  ::kill(pid_, SIGSTOP);
  wait_for_stopped_state(pid_, true);
}

void RedisServer::resume() {
  if (pid_ <= 0) return;
  ::kill(pid_, SIGCONT);
  wait_for_stopped_state(pid_, false);
}

void limit_memory(RedisServer& server, long long headroom) {
  auto connection = server.connect();
  connection.checked({"CONFIG", "SET", "maxmemory-policy", "noeviction"});
  const std::string info = connection.checked({"INFO", "memory"}).str;
  const auto at = info.find("used_memory:");
  if (at == std::string::npos)
    throw std::runtime_error("limit_memory: INFO memory has no used_memory:\n" + info);
  const long long used = std::stoll(info.substr(at + std::string_view("used_memory:").size()));
  connection.checked({"CONFIG", "SET", "maxmemory", std::to_string(used + headroom)});
}

}  // namespace riot::test
