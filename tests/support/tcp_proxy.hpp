#pragma once
// A TCP proxy for fault tests: listens on a free loopback port and forwards
// every connection to a port on 127.0.0.1, two threads per connection. On
// demand it cuts every open connection, refuses or stalls new ones, and goes
// back to forwarding: the faults a flaky network or a load balancer makes.

#include <atomic>
#include <chrono>
#include <cstdint>
#include <list>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace riot::test {

class TcpProxy {
 public:
  explicit TcpProxy(std::uint16_t target_port);  // listening when constructed
  ~TcpProxy();                                   // closes everything, joins its threads
  TcpProxy(const TcpProxy&) = delete;
  TcpProxy& operator=(const TcpProxy&) = delete;

  std::uint16_t port() const { return port_; }
  // redis://127.0.0.1:PORT[/db]: the proxy's address as riot takes it.
  std::string uri(int db = 0) const;

  // Closes both ends of every open connection at once (with a reset, as a
  // crashed middlebox would): clients see their connection lost mid-command.
  void cut_connections();
  // New connections are accepted and reset at once, until resume().
  void refuse_new_connections();
  // New connections are accepted and then left unanswered (nothing is
  // forwarded either way), until resume(): the client's timeouts fire.
  void stall_new_connections();
  // Forwards new connections again; stalled ones are closed.
  void resume();

  // Holds every chunk of bytes this long before forwarding it, both ways: a
  // slow network, which stretches a run so that a fault lands in its middle.
  void set_latency(std::chrono::microseconds latency) { latency_us_ = latency.count(); }

  std::size_t connections_accepted() const { return accepted_; }
  std::size_t connections_cut() const { return cut_; }
  std::uint64_t bytes_forwarded() const { return bytes_forwarded_; }

 private:
  enum class Mode { forward, refuse, stall };
  struct Link;

  void accept_loop();
  void handle(int client);
  void pump(Link& link, int from, int to);
  // Joins and closes the links whose both directions have ended.
  void reap_finished_links();

  std::uint16_t target_port_;
  int listener_ = -1;
  std::uint16_t port_ = 0;
  std::atomic<bool> stopping_{false};
  std::atomic<Mode> mode_{Mode::forward};
  std::atomic<std::size_t> accepted_{0};
  std::atomic<std::size_t> cut_{0};
  std::atomic<std::uint64_t> bytes_forwarded_{0};
  std::atomic<std::int64_t> latency_us_{0};

  std::mutex mutex_;  // guards links_ and stalled_
  std::list<std::unique_ptr<Link>> links_;
  std::vector<int> stalled_;
  std::thread acceptor_;
};

}  // namespace riot::test
