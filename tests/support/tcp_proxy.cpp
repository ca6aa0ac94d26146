#include "support/tcp_proxy.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <system_error>

#include "support/test_files.hpp"

namespace riot::test {
namespace {

// How often the acceptor looks at the stop flag and reaps ended links.
constexpr int kAcceptPollMs = 20;

sockaddr_in loopback(std::uint16_t port) {
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  address.sin_port = htons(port);
  return address;
}

void set_option(int socket, int level, int name, int value) {
  (void)::setsockopt(socket, level, name, &value, sizeof value);
}

// Closes with a reset (RST) rather than an orderly FIN: what a crashed
// middlebox or a refused connection looks like to the client.
void reset_and_close(int socket) {
  const linger abort_on_close{1, 0};
  (void)::setsockopt(socket, SOL_SOCKET, SO_LINGER, &abort_on_close, sizeof abort_on_close);
  ::close(socket);
}

int connect_loopback(std::uint16_t port) {
  const int socket = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (socket < 0) return -1;
  const sockaddr_in address = loopback(port);
  if (::connect(socket, reinterpret_cast<const sockaddr*>(&address), sizeof address) != 0) {
    ::close(socket);
    return -1;
  }
  set_option(socket, IPPROTO_TCP, TCP_NODELAY, 1);
  return socket;
}

bool send_all(int socket, const char* data, std::size_t size) {
  while (size > 0) {
    const ssize_t sent = ::send(socket, data, size, MSG_NOSIGNAL);
    if (sent < 0 && errno == EINTR) continue;
    if (sent <= 0) return false;
    data += sent;
    size -= static_cast<std::size_t>(sent);
  }
  return true;
}

}  // namespace

struct TcpProxy::Link {
  int client = -1;
  int server = -1;
  std::atomic<int> directions_open{2};
  std::thread upstream;    // client -> server
  std::thread downstream;  // server -> client

  // Wakes both pumps (a blocked recv returns 0, a blocked send fails), joins
  // them, then closes both sockets: no thread can still use a closed fd.
  void end(bool reset) {
    ::shutdown(client, SHUT_RDWR);
    ::shutdown(server, SHUT_RDWR);
    if (upstream.joinable()) upstream.join();
    if (downstream.joinable()) downstream.join();
    if (reset) {
      reset_and_close(client);
      reset_and_close(server);
    } else {
      ::close(client);
      ::close(server);
    }
  }
};

TcpProxy::TcpProxy(std::uint16_t target_port) : target_port_(target_port) {
  listener_ = listen_on_loopback(port_, "tcp proxy");
  acceptor_ = std::thread([this] { accept_loop(); });
}

TcpProxy::~TcpProxy() {
  stopping_ = true;
  acceptor_.join();
  std::lock_guard lock(mutex_);
  for (auto& link : links_) link->end(/*reset=*/false);
  links_.clear();
  for (const int socket : stalled_) ::close(socket);
  stalled_.clear();
  ::close(listener_);
}

std::string TcpProxy::uri(int db) const {
  std::string text = "redis://127.0.0.1:" + std::to_string(port_);
  if (db != 0) text += "/" + std::to_string(db);
  return text;
}

void TcpProxy::cut_connections() {
  std::lock_guard lock(mutex_);
  for (auto& link : links_) link->end(/*reset=*/true);
  cut_ += links_.size();
  links_.clear();
}

void TcpProxy::refuse_new_connections() {
  mode_ = Mode::refuse;
}

void TcpProxy::stall_new_connections() {
  mode_ = Mode::stall;
}

void TcpProxy::resume() {
  mode_ = Mode::forward;
  std::lock_guard lock(mutex_);
  for (const int socket : stalled_) reset_and_close(socket);
  stalled_.clear();
}

void TcpProxy::accept_loop() {
  while (!stopping_) {
    pollfd listening{listener_, POLLIN, 0};
    const int ready = ::poll(&listening, 1, kAcceptPollMs);
    reap_finished_links();
    if (ready <= 0) continue;
    const int client = ::accept4(listener_, nullptr, nullptr, SOCK_CLOEXEC);
    if (client < 0) continue;
    ++accepted_;
    handle(client);
  }
}

void TcpProxy::handle(int client) {
  switch (mode_.load()) {
    case Mode::refuse:
      reset_and_close(client);
      return;
    case Mode::stall: {
      std::lock_guard lock(mutex_);
      stalled_.push_back(client);
      return;
    }
    case Mode::forward:
      break;
  }
  const int server = connect_loopback(target_port_);
  if (server < 0) {
    // The target is down: the client sees its connection reset.
    reset_and_close(client);
    return;
  }
  set_option(client, IPPROTO_TCP, TCP_NODELAY, 1);
  auto link = std::make_unique<Link>();
  link->client = client;
  link->server = server;
  Link& started = *link;
  std::lock_guard lock(mutex_);
  started.upstream =
      std::thread([this, &started] { pump(started, started.client, started.server); });
  started.downstream =
      std::thread([this, &started] { pump(started, started.server, started.client); });
  links_.push_back(std::move(link));
}

void TcpProxy::pump(Link& link, int from, int to) {
  char buffer[64 * 1024];
  for (;;) {
    const ssize_t received = ::recv(from, buffer, sizeof buffer, 0);
    if (received < 0 && errno == EINTR) continue;
    if (received <= 0) break;
    if (const std::int64_t latency = latency_us_; latency > 0)
      std::this_thread::sleep_for(std::chrono::microseconds(latency));
    if (!send_all(to, buffer, static_cast<std::size_t>(received))) break;
    bytes_forwarded_ += static_cast<std::uint64_t>(received);
  }
  // One side closed: pass the close on, so that the other direction ends too.
  ::shutdown(link.client, SHUT_RDWR);
  ::shutdown(link.server, SHUT_RDWR);
  --link.directions_open;
}

void TcpProxy::reap_finished_links() {
  std::lock_guard lock(mutex_);
  for (auto it = links_.begin(); it != links_.end();) {
    if ((*it)->directions_open == 0) {
      (*it)->end(/*reset=*/false);
      it = links_.erase(it);
    } else {
      ++it;
    }
  }
}

}  // namespace riot::test
