// The Redis client against real redis-server processes: handshake, binary
// data, deep pipelines, and failures made for real (wrong passwords, closed
// ports, paused and killed servers).
#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <random>
#include <string>
#include <typeinfo>
#include <vector>

#include "riot/redis/connection.hpp"
#include "support/redis_server.hpp"

namespace riot::redis {
namespace {

using namespace std::chrono_literals;
using namespace std::string_literals;
using test::RedisServer;
using test::RedisServerOptions;
using Clock = std::chrono::steady_clock;

// Options for a connection to `server` as the "target" side, with timeouts
// short enough that a hang fails the test quickly.
ConnectionOptions target_options(const RedisServer& server, int db = 0) {
  ConnectionOptions options;
  options.uri = Uri::parse(server.uri(db));
  options.role = "target";
  options.connect_timeout = 2s;
  options.command_timeout = 5s;
  return options;
}

std::string endpoint_of(const RedisServer& server) {
  return "127.0.0.1:" + std::to_string(server.port());
}

std::chrono::milliseconds elapsed_since(Clock::time_point start) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - start);
}

std::string random_bytes(std::size_t size, unsigned seed) {
  std::mt19937 random(seed);
  std::string bytes(size, '\0');
  for (auto& byte : bytes) byte = static_cast<char>(random() & 0xff);
  return bytes;
}

TEST(Connection, PingAndClientName) {
  RedisServer server;
  Connection connection(target_options(server));
  EXPECT_FALSE(connection.is_connected());
  connection.connect();
  EXPECT_TRUE(connection.is_connected());
  const Reply pong = connection.command({"PING"});
  EXPECT_TRUE(pong.is_status());
  EXPECT_EQ(pong.str, "PONG");
  EXPECT_EQ(connection.checked({"CLIENT", "GETNAME"}).str, "riot");
  EXPECT_EQ(connection.describe(), "target " + endpoint_of(server));
}

TEST(Connection, CommandOnAClosedConnectionConnectsFirst) {
  RedisServer server;
  Connection connection(target_options(server));
  EXPECT_EQ(connection.command({"ECHO", "hi"}).str, "hi");
  EXPECT_TRUE(connection.is_connected());
  const auto first_id = connection.checked({"CLIENT", "ID"}).integer;
  connection.connect();  // a fresh connection
  EXPECT_NE(connection.checked({"CLIENT", "ID"}).integer, first_id);
  connection.close();
  EXPECT_FALSE(connection.is_connected());
}

TEST(Connection, BinaryValuesRoundTrip) {
  RedisServer server;
  Connection connection(target_options(server));
  const std::string key = "bin\0key\r\n\xff"s;
  const std::string value = "\0\r\n\xff\x01value\0\r\n"s;
  EXPECT_EQ(connection.checked({"SET", key, value}).str, "OK");
  const Reply got = connection.checked({"GET", key});
  EXPECT_TRUE(got.is_string());
  EXPECT_EQ(got.str, value);

  EXPECT_EQ(connection.checked({"SET", "empty", ""}).str, "OK");
  const Reply empty = connection.checked({"GET", "empty"});
  EXPECT_TRUE(empty.is_string());
  EXPECT_EQ(empty.str, "");
  EXPECT_TRUE(connection.checked({"GET", "missing"}).is_nil());

  const std::string big = random_bytes(8 * 1024 * 1024 + 3, 1);
  connection.checked({"SET", "big", big});
  EXPECT_TRUE(connection.checked({"GET", "big"}).str == big);
  EXPECT_EQ(connection.checked({"STRLEN", "big"}).integer, static_cast<std::int64_t>(big.size()));
}

TEST(Connection, ErrorRepliesKeepTheConnection) {
  RedisServer server;
  Connection connection(target_options(server));
  const Reply error = connection.command({"NO-SUCH-COMMAND"});
  EXPECT_TRUE(error.is_error());
  EXPECT_EQ(error.str.rfind("ERR unknown command", 0), 0u) << error.str;
  EXPECT_TRUE(connection.is_connected());
  try {
    connection.checked({"INCR", "not-a-number", "extra"});
    ADD_FAILURE() << "no ReplyError";
  } catch (const ReplyError& failure) {
    EXPECT_EQ(
        std::string(failure.what()),
        "target " + endpoint_of(server) + ": ERR wrong number of arguments for 'incr' command");
  }
  EXPECT_TRUE(connection.is_connected());
  EXPECT_EQ(connection.command({"PING"}).str, "PONG");
}

TEST(Connection, PipelineOf100000CommandsWithASmallWindow) {
  RedisServer server;
  ConnectionOptions options = target_options(server);
  options.pipeline_window = 7;
  Connection connection(options);
  CommandBuffer commands;
  for (int i = 0; i < 100000; ++i) commands.append({"INCR", "counter"});
  std::vector<Reply> replies(1);  // replies are appended after what is there
  connection.pipeline(commands, replies);
  ASSERT_EQ(replies.size(), 100001u);
  for (std::size_t i = 1; i < replies.size(); ++i)
    ASSERT_EQ(replies[i].integer, static_cast<std::int64_t>(i)) << "reply " << i;
  EXPECT_EQ(connection.checked({"GET", "counter"}).str, "100000");
}

// Big requests and big replies in one batch: with a window this wide, the
// exchange must read while it writes or both socket buffers fill up.
TEST(Connection, PipelineOfLargeValuesBothWays) {
  RedisServer server;
  ConnectionOptions options = target_options(server);
  options.pipeline_window = 10000;
  Connection connection(options);
  const std::string value = random_bytes(256 * 1024, 2);
  CommandBuffer commands;
  for (int i = 0; i < 100; ++i) {
    commands.append({"SET", "key:" + std::to_string(i), value});
    commands.append({"GET", "key:" + std::to_string(i)});
  }
  std::vector<Reply> replies;
  connection.pipeline(commands, replies);
  ASSERT_EQ(replies.size(), 200u);
  for (std::size_t i = 0; i < replies.size(); i += 2) {
    EXPECT_EQ(replies[i].str, "OK");
    EXPECT_TRUE(replies[i + 1].str == value) << "GET " << i / 2;
  }
}

TEST(Connection, PipelineReturnsErrorRepliesInPlace) {
  RedisServer server;
  Connection connection(target_options(server));
  CommandBuffer commands;
  commands.append({"SET", "a", "1"});
  commands.append({"LPUSH", "a", "x"});
  commands.append({"GET", "a"});
  std::vector<Reply> replies;
  connection.pipeline(commands, replies);
  ASSERT_EQ(replies.size(), 3u);
  EXPECT_EQ(replies[0].str, "OK");
  EXPECT_TRUE(replies[1].is_error());
  EXPECT_EQ(replies[1].str.rfind("WRONGTYPE", 0), 0u);
  EXPECT_EQ(replies[2].str, "1");

  commands.clear();
  connection.pipeline(commands, replies);  // nothing to do
  EXPECT_EQ(replies.size(), 3u);
}

TEST(Connection, AuthWithPassword) {
  RedisServer server(RedisServerOptions{.password = "s3cret pass"});
  Connection connection(target_options(server));
  EXPECT_EQ(connection.command({"PING"}).str, "PONG");
  EXPECT_EQ(connection.checked({"ACL", "WHOAMI"}).str, "default");
}

TEST(Connection, MissingPasswordFailsAtConnect) {
  RedisServer server(RedisServerOptions{.password = "s3cret"});
  ConnectionOptions options = target_options(server);
  options.uri.password.clear();
  Connection connection(options);
  try {
    connection.connect();
    ADD_FAILURE() << "connected without a password";
  } catch (const ReplyError& error) {
    EXPECT_EQ(std::string(error.what()),
              "target " + endpoint_of(server) + ": NOAUTH Authentication required.");
  }
  EXPECT_FALSE(connection.is_connected());
}

TEST(Connection, WrongPasswordNamesTheRoleAndEndpoint) {
  RedisServer server(RedisServerOptions{.password = "right"});
  ConnectionOptions options = target_options(server);
  options.uri.password = "wrong";
  Connection connection(options);
  try {
    connection.connect();
    ADD_FAILURE() << "connected with a wrong password";
  } catch (const ReplyError& error) {
    EXPECT_EQ(std::string(error.what()),
              "target " + endpoint_of(server) +
                  ": WRONGPASS invalid username-password pair or user is disabled.");
    EXPECT_EQ(error.endpoint(), "target " + endpoint_of(server));
  }
  EXPECT_FALSE(connection.is_connected());
}

TEST(Connection, AclUser) {
  RedisServer server;
  Connection admin = server.connect();
  admin.checked({"ACL", "SETUSER", "alice", "on", ">wonder%land", "~*", "+@all"});

  ConnectionOptions options;
  options.uri =
      Uri::parse("redis://alice:wonder%25land@127.0.0.1:" + std::to_string(server.port()));
  options.role = "source";
  options.connect_timeout = 2s;
  Connection alice(options);
  alice.connect();
  EXPECT_EQ(alice.checked({"ACL", "WHOAMI"}).str, "alice");

  options.uri.password = "wonderland";
  Connection wrong(options);
  try {
    wrong.connect();
    ADD_FAILURE() << "connected with a wrong password";
  } catch (const ReplyError& error) {
    EXPECT_EQ(std::string(error.what()),
              "source " + endpoint_of(server) +
                  ": WRONGPASS invalid username-password pair or user is disabled.");
  }
}

TEST(Connection, SelectsTheDatabase) {
  RedisServer server;
  Connection db5(target_options(server, 5));
  db5.checked({"SET", "where", "five"});
  EXPECT_NE(db5.checked({"CLIENT", "INFO"}).str.find(" db=5 "), std::string::npos);
  Connection db0(target_options(server));
  EXPECT_TRUE(db0.checked({"GET", "where"}).is_nil());
  db0.checked({"SELECT", "5"});
  EXPECT_EQ(db0.checked({"GET", "where"}).str, "five");
}

TEST(Connection, DatabaseOutOfRange) {
  RedisServer server;
  Connection connection(target_options(server, 100));
  try {
    connection.connect();
    ADD_FAILURE() << "selected database 100";
  } catch (const ReplyError& error) {
    EXPECT_EQ(std::string(error.what()), "target " + endpoint_of(server) +
                                             ": cannot select database 100: ERR DB index is "
                                             "out of range");
  }
  EXPECT_FALSE(connection.is_connected());
}

// Managed services rename CLIENT (and more) away; the handshake goes on.
TEST(Connection, RefusedClientSetnameIsIgnored) {
  std::vector<std::string> config = test::managed_service_config();
  config.push_back("rename-command CLIENT \"\"");
  RedisServer server(RedisServerOptions{.config = config, .password = "pw"});
  Connection connection(target_options(server, 3));
  connection.connect();
  EXPECT_EQ(connection.checked({"SET", "k", "v"}).str, "OK");
  EXPECT_TRUE(connection.command({"CONFIG", "GET", "maxmemory"}).is_error());
}

TEST(Connection, ClosedPortFailsFast) {
  ConnectionOptions options;
  const std::uint16_t port = test::free_port();
  options.uri = Uri::parse("redis://127.0.0.1:" + std::to_string(port));
  options.role = "target";
  Connection connection(options);
  const auto start = Clock::now();
  try {
    connection.connect();
    ADD_FAILURE() << "connected to a closed port";
  } catch (const IoError& error) {
    EXPECT_EQ(typeid(error), typeid(IoError));
    EXPECT_EQ(std::string(error.what()),
              "target 127.0.0.1:" + std::to_string(port) + ": connection refused");
  }
  EXPECT_LT(elapsed_since(start), 1s);
  EXPECT_FALSE(connection.is_connected());
}

// A listener whose accept queue is full drops new SYNs, so a connect gets no
// answer at all, as with an unreachable host.
class UnansweringListener {
 public:
  UnansweringListener() {
    listener_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t length = sizeof address;
    EXPECT_EQ(::bind(listener_, reinterpret_cast<sockaddr*>(&address), sizeof address), 0);
    EXPECT_EQ(::listen(listener_, 0), 0);
    EXPECT_EQ(::getsockname(listener_, reinterpret_cast<sockaddr*>(&address), &length), 0);
    port_ = ntohs(address.sin_port);
    for (int& filler : fillers_) {
      filler = ::socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
      (void)::connect(filler, reinterpret_cast<sockaddr*>(&address), sizeof address);
    }
  }
  ~UnansweringListener() {
    for (const int filler : fillers_) ::close(filler);
    ::close(listener_);
  }
  UnansweringListener(const UnansweringListener&) = delete;
  UnansweringListener& operator=(const UnansweringListener&) = delete;
  std::uint16_t port() const { return port_; }

 private:
  int listener_ = -1;
  int fillers_[3] = {-1, -1, -1};
  std::uint16_t port_ = 0;
};

TEST(Connection, ConnectTimeoutWhenNobodyAnswers) {
  UnansweringListener listener;
  ConnectionOptions options;
  options.uri = Uri::parse("redis://127.0.0.1:" + std::to_string(listener.port()));
  options.role = "source";
  options.connect_timeout = 300ms;
  Connection connection(options);
  const auto start = Clock::now();
  try {
    connection.connect();
    ADD_FAILURE() << "connected to a full backlog";
  } catch (const TimeoutError& error) {
    EXPECT_EQ(std::string(error.what()), "source 127.0.0.1:" + std::to_string(listener.port()) +
                                             ": connect timed out after 300 ms");
  }
  const auto took = elapsed_since(start);
  EXPECT_GE(took, 290ms);
  EXPECT_LT(took, 2s);
  EXPECT_FALSE(connection.is_connected());
}

// The kernel completes the TCP handshake of a stopped server; the Redis
// handshake then gets no answer, within the same connect timeout.
TEST(Connection, ConnectTimeoutWhenTheServerIsPaused) {
  RedisServer server;
  ConnectionOptions options = target_options(server);
  options.connect_timeout = 300ms;
  Connection connection(options);
  server.pause();
  server.pause();  // harmless when already paused
  const auto start = Clock::now();
  try {
    connection.connect();
    ADD_FAILURE() << "connected to a paused server";
  } catch (const TimeoutError& error) {
    EXPECT_EQ(std::string(error.what()),
              "target " + endpoint_of(server) +
                  ": connect timed out after 300 ms (the server accepted the connection but did "
                  "not answer)");
  }
  const auto took = elapsed_since(start);
  server.resume();
  EXPECT_GE(took, 290ms);
  EXPECT_LT(took, 2s);
  EXPECT_FALSE(connection.is_connected());
  connection.connect();
  EXPECT_EQ(connection.command({"PING"}).str, "PONG");
}

TEST(Connection, CommandTimeoutThenReconnectAfterResume) {
  RedisServer server;
  ConnectionOptions options = target_options(server);
  options.command_timeout = 300ms;
  Connection connection(options);
  connection.connect();
  server.pause();
  const auto start = Clock::now();
  try {
    connection.command({"PING"});
    ADD_FAILURE() << "a paused server answered";
  } catch (const TimeoutError& error) {
    EXPECT_EQ(std::string(error.what()),
              "target " + endpoint_of(server) +
                  ": the server did not answer within 300 ms (command timeout)");
  }
  const auto took = elapsed_since(start);
  EXPECT_GE(took, 290ms);
  EXPECT_LT(took, 2s);
  EXPECT_FALSE(connection.is_connected());
  server.resume();
  connection.connect();
  EXPECT_EQ(connection.command({"PING"}).str, "PONG");
}

TEST(Connection, PipelineTimeoutLeavesTheRepliesAsTheyWere) {
  RedisServer server;
  ConnectionOptions options = target_options(server);
  options.command_timeout = 200ms;
  Connection connection(options);
  connection.connect();
  server.pause();
  CommandBuffer commands;
  for (int i = 0; i < 1000; ++i) commands.append({"PING"});
  std::vector<Reply> replies(2);
  EXPECT_THROW(connection.pipeline(commands, replies), TimeoutError);
  EXPECT_EQ(replies.size(), 2u);
  server.resume();
  connection.pipeline(commands, replies);  // reconnects
  EXPECT_EQ(replies.size(), 1002u);
}

// A directory for a Unix socket: the server's own directory is only known
// once it runs, and its config must name the socket before.
class SocketDirectory {
 public:
  SocketDirectory() {
    const std::filesystem::path root = RIOT_TEST_TMPDIR;
    std::filesystem::create_directories(root);
    std::string pattern = (root / "sock-XXXXXX").string();
    EXPECT_NE(::mkdtemp(pattern.data()), nullptr);
    path_ = pattern;
  }
  ~SocketDirectory() {
    std::error_code ignored;
    std::filesystem::remove_all(path_, ignored);
  }
  SocketDirectory(const SocketDirectory&) = delete;
  SocketDirectory& operator=(const SocketDirectory&) = delete;
  std::filesystem::path socket() const { return path_ / "redis.sock"; }

 private:
  std::filesystem::path path_;
};

TEST(Connection, UnixSocket) {
  SocketDirectory directory;
  RedisServer server(RedisServerOptions{
      .config = {"unixsocket " + directory.socket().string(), "unixsocketperm 700"},
      .password = "pw"});
  ConnectionOptions options;
  options.uri = Uri::parse("redis-socket://" + directory.socket().string() + "?db=2");
  options.uri.password = "pw";
  options.role = "source";
  Connection connection(options);
  connection.connect();
  EXPECT_EQ(connection.describe(), "source " + directory.socket().string());
  connection.checked({"SET", "via", "socket"});
  const std::string info = connection.checked({"CLIENT", "INFO"}).str;
  EXPECT_NE(info.find(" db=2 "), std::string::npos) << info;
  EXPECT_NE(info.find("laddr=" + directory.socket().string()), std::string::npos) << info;

  Connection tcp(target_options(server, 2));
  EXPECT_EQ(tcp.checked({"GET", "via"}).str, "socket");
}

TEST(Connection, UnixSocketThatDoesNotExist) {
  SocketDirectory directory;
  ConnectionOptions options;
  options.uri = Uri::parse("redis-socket://" + directory.socket().string());
  Connection connection(options);
  try {
    connection.connect();
    ADD_FAILURE() << "connected to a missing socket";
  } catch (const IoError& error) {
    EXPECT_EQ(std::string(error.what()),
              directory.socket().string() + ": no such file or directory");
  }
}

TEST(Connection, ServerKilledThenRestarted) {
  RedisServer server;
  Connection connection(target_options(server));
  connection.checked({"SET", "k", "v"});
  ASSERT_EQ(::kill(server.pid(), SIGKILL), 0);
  const auto start = Clock::now();
  try {
    // The first commands may still go into the socket buffer; the read fails.
    connection.command({"PING"});
    ADD_FAILURE() << "a killed server answered";
  } catch (const IoError& error) {
    EXPECT_EQ(typeid(error), typeid(IoError)) << error.what();
    EXPECT_EQ(std::string(error.what()).rfind("target " + endpoint_of(server) + ": ", 0), 0u)
        << error.what();
  }
  EXPECT_LT(elapsed_since(start), 2s);
  EXPECT_FALSE(connection.is_connected());
  // While the server is down, reconnecting fails at once.
  EXPECT_THROW(connection.connect(), IoError);

  server.restart();
  connection.connect();
  EXPECT_EQ(connection.command({"PING"}).str, "PONG");
  EXPECT_TRUE(connection.command({"GET", "k"}).is_nil());  // no persistence
}

TEST(Connection, ServerStoppedUnderAPipeline) {
  RedisServer server;
  Connection connection(target_options(server));
  connection.connect();
  server.stop();
  CommandBuffer commands;
  for (int i = 0; i < 10000; ++i) commands.append({"SET", "k", "v"});
  std::vector<Reply> replies;
  EXPECT_THROW(connection.pipeline(commands, replies), IoError);
  EXPECT_TRUE(replies.empty());
  EXPECT_FALSE(connection.is_connected());
  server.start();
  connection.pipeline(commands, replies);
  EXPECT_EQ(replies.size(), 10000u);
}

TEST(Connection, Moves) {
  RedisServer server;
  Connection first(target_options(server));
  first.connect();
  Connection second(std::move(first));
  EXPECT_TRUE(second.is_connected());
  EXPECT_EQ(second.command({"PING"}).str, "PONG");

  Connection third(target_options(server));
  third = std::move(second);
  EXPECT_TRUE(third.is_connected());
  EXPECT_EQ(third.command({"ECHO", "moved"}).str, "moved");

  Connection returned = server.connect(4);
  EXPECT_EQ(returned.checked({"CLIENT", "INFO"}).str.find(" db=4 ") != std::string::npos, true);
}

}  // namespace
}  // namespace riot::redis
