#pragma once
// A stand-in for redis-server that answers what the test decides: it parses
// each command a client sends (RESP arrays of bulk strings) and writes back
// the bytes the test's responder returns — a well-formed reply for the
// handshake, garbage for the command under test. For checking that a client
// survives a server that speaks broken RESP.

#include <atomic>
#include <cstdint>
#include <functional>
#include <list>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace riot::test {

class FakeRedisServer {
 public:
  // Returns the raw bytes to send back for one command (its arguments).
  using Responder = std::function<std::string(const std::vector<std::string>& command)>;

  explicit FakeRedisServer(Responder responder);  // listening when constructed
  ~FakeRedisServer();                             // closes everything, joins its threads
  FakeRedisServer(const FakeRedisServer&) = delete;
  FakeRedisServer& operator=(const FakeRedisServer&) = delete;

  std::uint16_t port() const { return port_; }
  std::string uri() const;  // redis://127.0.0.1:PORT

  std::size_t connections_accepted() const { return accepted_; }
  std::size_t commands_received() const { return commands_; }

  // What a real server answers to the commands of a client's handshake
  // (AUTH, SELECT, CLIENT, PING, HELLO-less RESP2): "+OK" or "+PONG", and to
  // the INFO and CLUSTER commands that tell a standalone server from a
  // cluster (a standalone server's answers); empty
  // for any other command. Responders call it first and script the rest.
  static std::string handshake_reply(const std::vector<std::string>& command);

 private:
  void accept_loop();
  void serve(int client);

  Responder responder_;
  int listener_ = -1;
  std::uint16_t port_ = 0;
  std::atomic<bool> stopping_{false};
  std::atomic<std::size_t> accepted_{0};
  std::atomic<std::size_t> commands_{0};
  std::mutex mutex_;  // guards clients_
  std::list<std::thread> clients_;
  std::thread acceptor_;
};

}  // namespace riot::test
