#include "support/fake_redis_server.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <system_error>

#include "riot/redis/errors.hpp"
#include "riot/redis/reply_reader.hpp"
#include "support/test_files.hpp"

namespace riot::test {
namespace {

// How often blocked threads look at the stop flag.
constexpr int kPollMs = 20;

std::string uppercase(std::string text) {
  std::transform(text.begin(), text.end(), text.begin(),
                 [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
  return text;
}

bool send_all(int socket, const std::string& bytes) {
  std::size_t sent = 0;
  while (sent < bytes.size()) {
    const ssize_t n = ::send(socket, bytes.data() + sent, bytes.size() - sent, MSG_NOSIGNAL);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    sent += static_cast<std::size_t>(n);
  }
  return true;
}

}  // namespace

FakeRedisServer::FakeRedisServer(Responder responder) : responder_(std::move(responder)) {
  listener_ = listen_on_loopback(port_, "fake redis server");
  acceptor_ = std::thread([this] { accept_loop(); });
}

FakeRedisServer::~FakeRedisServer() {
  stopping_ = true;
  acceptor_.join();
  std::lock_guard lock(mutex_);
  for (std::thread& client : clients_) client.join();
  ::close(listener_);
}

std::string FakeRedisServer::uri() const {
  return "redis://127.0.0.1:" + std::to_string(port_);
}

std::string FakeRedisServer::handshake_reply(const std::vector<std::string>& command) {
  if (command.empty()) return {};
  const std::string name = uppercase(command.front());
  if (name == "PING") return "+PONG\r\n";
  if (name == "AUTH" || name == "SELECT" || name == "CLIENT") return "+OK\r\n";
  // Clients ask whether the server is a cluster, and who it is (INFO server,
  // CLUSTER MYID), before they start: a single server without a run_id.
  if (name == "INFO") {
    const std::string info = "# Cluster\r\ncluster_enabled:0\r\n";
    return "$" + std::to_string(info.size()) + "\r\n" + info + "\r\n";
  }
  if (name == "CLUSTER") return "-ERR This instance has cluster support disabled\r\n";
  return {};
}

void FakeRedisServer::accept_loop() {
  while (!stopping_) {
    pollfd listening{listener_, POLLIN, 0};
    if (::poll(&listening, 1, kPollMs) <= 0) continue;
    const int client = ::accept4(listener_, nullptr, nullptr, SOCK_CLOEXEC);
    if (client < 0) continue;
    ++accepted_;
    std::lock_guard lock(mutex_);
    clients_.emplace_back([this, client] { serve(client); });
  }
}

// Serves one client until it disconnects, sends something that is not RESP,
// or the server stops. Requests are RESP arrays of bulk strings, which the
// client library's own reply parser reads as well as any reply.
void FakeRedisServer::serve(int client) {
  redis::ReplyReader requests("fake server client");
  char buffer[16 * 1024];
  try {
    while (!stopping_) {
      pollfd readable{client, POLLIN, 0};
      if (::poll(&readable, 1, kPollMs) <= 0) continue;
      const ssize_t received = ::recv(client, buffer, sizeof buffer, 0);
      if (received < 0 && errno == EINTR) continue;
      if (received <= 0) break;
      requests.feed({buffer, static_cast<std::size_t>(received)});
      redis::Reply request;
      bool connected = true;
      while (connected && requests.next(request)) {
        std::vector<std::string> command;
        for (redis::Reply& argument : request.elements) command.push_back(std::move(argument.str));
        ++commands_;
        connected = send_all(client, responder_(command));
      }
      if (!connected) break;
    }
  } catch (const redis::ProtocolError&) {
    // Not a Redis client: drop it.
  }
  ::close(client);
}

}  // namespace riot::test
