#pragma once
// Real redis-server processes for the tests, each on a free loopback port,
// in its own temporary directory, stopped (by pid) when the object goes.

#include <sys/types.h>

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "riot/redis/connection.hpp"

namespace riot::test {

// A server that speaks TLS only: `port 0`, `tls-port` on the free port.
struct RedisServerTls {
  std::filesystem::path cert_file;  // the server's certificate (tls-cert-file)
  std::filesystem::path key_file;   // and its key (tls-key-file)
  std::filesystem::path ca_file;    // tls-ca-cert-file: checks client certificates
  bool auth_clients = false;        // tls-auth-clients yes: clients need a certificate
  // What the test's own clients (the start-up probe, connect()) present;
  // needed when auth_clients is set.
  std::filesystem::path client_cert_file;
  std::filesystem::path client_key_file;
};

struct RedisServerOptions {
  // Extra configuration lines, e.g. {"rename-command CONFIG \"\"", "maxmemory 10mb"}.
  std::vector<std::string> config;
  std::string password;      // requirepass when non-empty
  bool persistence = false;  // appendonly yes when set, nothing saved otherwise
  std::optional<RedisServerTls> tls;
  // Runs as a Redis Sentinel (redis-server redis.conf --sentinel); `config`
  // then holds its "sentinel monitor" lines.
  bool sentinel = false;
};

// A value in redis.conf syntax: quoted, with quotes and backslashes escaped.
std::string redis_config_string(std::string_view value);

// Command renames that mimic ElastiCache/Memorystore: the commands a managed
// service blocks are unavailable to clients.
std::vector<std::string> managed_service_config();

class RedisServer;

// Makes `server` full soon: maxmemory (with noeviction) set to the memory it
// uses now plus `headroom` bytes. Throws std::runtime_error when INFO memory
// has no used_memory.
void limit_memory(RedisServer& server, long long headroom);

class RedisServer {
 public:
  explicit RedisServer(RedisServerOptions options = {});  // started and answering PING
  ~RedisServer();
  RedisServer(const RedisServer&) = delete;
  RedisServer& operator=(const RedisServer&) = delete;

  std::uint16_t port() const { return port_; }
  pid_t pid() const { return pid_; }
  const std::filesystem::path& directory() const { return directory_; }

  // redis://[:password@]127.0.0.1:port[/db]; rediss://... for a TLS server.
  std::string uri(int db = 0) const;

  // Options for a client of this server. For a TLS server they trust its CA
  // file, present the client certificate it was given, and check the chain
  // only, so that a server given a certificate for another name still serves
  // the tests' own clients.
  redis::ConnectionOptions client_options(int db = 0) const;

  // A connected client (AUTH and SELECT done).
  redis::Connection connect(int db = 0) const;

  void stop();   // SIGTERM, wait; SIGKILL after a grace period
  void start();  // same port, same directory (data kept with persistence)
  void restart() {
    stop();
    start();
  }
  // The end of its redis.log, for failure messages.
  std::string log_tail() const;

  void pause();   // SIGSTOP: the server stops answering
  void resume();  // SIGCONT

 private:
  RedisServerOptions options_;
  std::filesystem::path directory_;
  std::uint16_t port_ = 0;
  pid_t pid_ = -1;
};

// A TCP port on 127.0.0.1 that was free when asked.
std::uint16_t free_port();

}  // namespace riot::test
