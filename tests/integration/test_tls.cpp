// TLS against real redis-server processes started with `port 0` and
// `tls-port`, with certificates generated for the test run: first the Redis
// client on its own (Connection over TLS), then the riot launcher end to end,
// its copy checked by an independent comparison of every key.
#include <gtest/gtest.h>
#include <signal.h>

#include <chrono>
#include <fstream>
#include <memory>
#include <nlohmann/json.hpp>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "riot/redis/connection.hpp"
#include "support/dataset.hpp"
#include "support/process.hpp"
#include "support/redis_server.hpp"
#include "support/tls_certificates.hpp"

namespace riot::test {
namespace {

using namespace std::chrono_literals;
using redis::ConnectionOptions;
using redis::TlsVerify;

// One set of certificates for the whole file: generating them takes a few
// openssl runs, and no test changes them.
class TlsTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { certificates_ = std::make_unique<TlsCertificates>(); }
  static void TearDownTestSuite() { certificates_.reset(); }

  static const TlsCertificates& pki() { return *certificates_; }

  static RedisServerOptions tls_server(bool auth_clients = false) {
    RedisServerOptions options;
    options.tls = pki().server_tls(auth_clients);
    return options;
  }

  static RedisServerOptions wrong_name_server() {
    RedisServerOptions options;
    options.tls = pki().wrong_name_server_tls();
    return options;
  }

  // Options of a client that checks everything (full verification) against
  // the test CA, with timeouts short enough that a hang fails quickly.
  static ConnectionOptions verifying_client(const RedisServer& server, const std::string& host) {
    ConnectionOptions options = server.client_options();
    options.uri.host = host;
    options.role = "target";
    options.tls.verify = TlsVerify::full;
    options.tls.cert_file.clear();
    options.tls.key_file.clear();
    options.connect_timeout = 5s;
    options.command_timeout = 10s;
    return options;
  }

  static std::string endpoint(const char* role, const RedisServer& server) {
    return std::string(role) + " 127.0.0.1:" + std::to_string(server.port());
  }

  // riot with its progress display off, bounded in time.
  static ProcessResult riot(std::vector<std::string> args, std::string stdin_data = "") {
    args.insert(args.end(), {"--progress", "none"});
    ProcessOptions options;
    options.timeout = 120s;
    options.stdin_data = std::move(stdin_data);
    return run_riot(args, options);
  }

  static ProcessResult replicate(const RedisServer& source, const RedisServer& target,
                                 std::vector<std::string> extra) {
    std::vector<std::string> args{"replicate", source.uri(), target.uri()};
    args.insert(args.end(), extra.begin(), extra.end());
    return riot(std::move(args));
  }

  // A few hundred keys of every type, without the huge ones.
  static std::size_t fill(RedisServer& server) {
    auto connection = server.connect();
    return write_every_type_dataset(connection, {.large_values = false, .small_strings = 300});
  }

  static void expect_same_data(RedisServer& source, RedisServer& target) {
    auto from = source.connect();
    auto to = target.connect();
    const auto differences = compare_databases(from, to);
    EXPECT_TRUE(differences.empty()) << summarize(differences);
    EXPECT_GT(to.checked({"DBSIZE"}).integer, 0);
  }

  static long long key_count(RedisServer& server) {
    return server.connect().checked({"DBSIZE"}).integer;
  }

  std::string ca() const { return pki().ca_cert().string(); }

 private:
  static inline std::unique_ptr<TlsCertificates> certificates_;
};

bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

std::string random_bytes(std::size_t size, unsigned seed) {
  std::mt19937 random(seed);
  std::string bytes(size, '\0');
  for (auto& byte : bytes) byte = static_cast<char>(random() & 0xff);
  return bytes;
}

// The message of the redis::IoError that connecting throws ("" if none).
std::string connect_error(const ConnectionOptions& options) {
  redis::Connection connection(options);
  try {
    connection.connect();
  } catch (const redis::IoError& error) {
    EXPECT_FALSE(connection.is_connected());
    return error.what();
  }
  return "";
}

// Restores the default action of SIGPIPE (the process dies) for a scope, so
// that a transport writing to a closed connection without MSG_NOSIGNAL kills
// the test instead of passing unnoticed; the test support ignores SIGPIPE
// once it has run a process.
class DefaultSigpipe {
 public:
  DefaultSigpipe() {
    struct sigaction action {};
    action.sa_handler = SIG_DFL;
    ::sigaction(SIGPIPE, &action, &saved_);
  }
  ~DefaultSigpipe() { ::sigaction(SIGPIPE, &saved_, nullptr); }
  DefaultSigpipe(const DefaultSigpipe&) = delete;
  DefaultSigpipe& operator=(const DefaultSigpipe&) = delete;

 private:
  struct sigaction saved_ {};
};

// --- The Redis client over TLS ---------------------------------------------

TEST_F(TlsTest, ConnectsWithFullVerificationByIpAddressAndByName) {
  RedisServer server(tls_server());
  for (const char* host : {"127.0.0.1", "localhost"}) {
    redis::Connection connection(verifying_client(server, host));
    EXPECT_EQ(connection.command({"PING"}).str, "PONG") << host;
    EXPECT_EQ(connection.checked({"CLIENT", "GETNAME"}).str, "riot-test") << host;
  }
}

TEST_F(TlsTest, PipelineOf100000Commands) {
  RedisServer server(tls_server());
  ConnectionOptions options = verifying_client(server, "127.0.0.1");
  options.pipeline_window = 1000;
  redis::Connection connection(options);
  redis::CommandBuffer commands;
  for (int i = 0; i < 100000; ++i) commands.append({"INCR", "counter"});
  std::vector<redis::Reply> replies;
  connection.pipeline(commands, replies);
  ASSERT_EQ(replies.size(), 100000u);
  for (std::size_t i = 0; i < replies.size(); ++i)
    ASSERT_EQ(replies[i].integer, static_cast<long long>(i + 1)) << "reply " << i;
  EXPECT_EQ(connection.checked({"GET", "counter"}).str, "100000");
}

// Records are at most 16 KiB: a 10 MB value crosses hundreds of partial
// writes and reads, both ways in one batch.
TEST_F(TlsTest, LargeValuesBothWays) {
  RedisServer server(tls_server());
  ConnectionOptions options = verifying_client(server, "127.0.0.1");
  options.pipeline_window = 100;
  redis::Connection connection(options);
  const std::string value = random_bytes(10 * 1024 * 1024, 3);
  redis::CommandBuffer commands;
  for (int i = 0; i < 3; ++i) {
    commands.append({"SET", "big:" + std::to_string(i), value});
    commands.append({"GET", "big:" + std::to_string(i)});
  }
  std::vector<redis::Reply> replies;
  connection.pipeline(commands, replies);
  ASSERT_EQ(replies.size(), 6u);
  for (std::size_t i = 0; i < replies.size(); i += 2) {
    EXPECT_EQ(replies[i].str, "OK");
    EXPECT_TRUE(replies[i + 1].str == value) << "GET " << i / 2;
  }
}

// A killed server: the next command fails with an IoError naming the side,
// without SIGPIPE (the write after the server's FIN gets EPIPE); a command
// after the restart reconnects.
TEST_F(TlsTest, KilledServerIsAnIoErrorThenACommandReconnects) {
  RedisServer server(tls_server());
  redis::Connection connection(verifying_client(server, "127.0.0.1"));
  connection.checked({"SET", "k", "v"});
  {
    const DefaultSigpipe sigpipe_kills;
    ASSERT_EQ(::kill(server.pid(), SIGKILL), 0);
    server.stop();                       // reaps the killed process
    std::this_thread::sleep_for(100ms);  // its FIN arrives
    const std::string value = random_bytes(4 * 1024 * 1024, 4);
    try {
      connection.command({"SET", "big", value});
      ADD_FAILURE() << "no error from a killed server";
    } catch (const redis::IoError& error) {
      EXPECT_TRUE(contains(error.what(), endpoint("target", server))) << error.what();
    }
    EXPECT_FALSE(connection.is_connected());
  }
  server.start();
  EXPECT_EQ(connection.command({"PING"}).str, "PONG");
  EXPECT_TRUE(connection.is_connected());
}

TEST_F(TlsTest, ServerNameOptionIsSentAndChecked) {
  RedisServer server(wrong_name_server());
  ConnectionOptions options = verifying_client(server, "127.0.0.1");
  EXPECT_TRUE(contains(connect_error(options), "host name mismatch"));
  // Connecting by address to a server known by another name (a tunnel, a
  // proxy): the name to check is given apart from the URI.
  options.tls.server_name = "wrong.example";
  redis::Connection connection(options);
  EXPECT_EQ(connection.command({"PING"}).str, "PONG");
}

TEST_F(TlsTest, VerificationFailuresSayWhatFailed) {
  RedisServer server(tls_server());
  ConnectionOptions options = verifying_client(server, "127.0.0.1");
  options.tls.ca_file = pki().other_ca_cert().string();
  std::string message = connect_error(options);
  EXPECT_TRUE(contains(message, endpoint("target", server) + ": TLS handshake failed: certificate "
                                                             "verify failed"))
      << message;
  EXPECT_TRUE(contains(message, "could not be verified")) << message;
  EXPECT_TRUE(contains(message, pki().other_ca_cert().string())) << message;

  options.tls.ca_file.clear();  // the system's CAs do not know the test CA
  message = connect_error(options);
  EXPECT_TRUE(contains(message, "the system's CA certificates")) << message;

  options.tls.verify = TlsVerify::none;
  EXPECT_EQ(connect_error(options), "") << "no verification, no failure";
}

TEST_F(TlsTest, UnusableFilesAreNamedAndNoPasswordIsShown) {
  RedisServer server(tls_server(/*auth_clients=*/true));
  ConnectionOptions options = verifying_client(server, "127.0.0.1");
  options.tls.ca_file = (pki().directory() / "missing-ca.pem").string();
  std::string message = connect_error(options);
  EXPECT_TRUE(contains(message, "missing-ca.pem': no such file or directory")) << message;

  options.tls.ca_file = pki().ca_cert().string();
  options.tls.cert_file = pki().client_cert().string();
  options.tls.key_file = pki().encrypted_client_key().string();
  message = connect_error(options);
  EXPECT_TRUE(contains(message, "client-encrypted.key")) << message;
  EXPECT_TRUE(contains(message, "encrypted and no password was given")) << message;

  options.tls.key_password = "not the pass phrase";
  message = connect_error(options);
  EXPECT_TRUE(contains(message, "the password does not decrypt it")) << message;
  EXPECT_FALSE(contains(message, "not the pass phrase")) << message;

  options.tls.key_password = TlsCertificates::kClientKeyPassword;
  options.tls.key_file = pki().server_key().string();
  message = connect_error(options);
  EXPECT_TRUE(contains(message, "does not belong to the client certificate")) << message;
}

TEST_F(TlsTest, TlsToAPlainPortTimesOutSayingWhy) {
  RedisServer plain;
  ConnectionOptions options = plain.client_options();
  options.tls.enabled = true;
  options.connect_timeout = 500ms;
  redis::Connection connection(options);
  try {
    connection.connect();
    ADD_FAILURE() << "a plain server answered a TLS handshake";
  } catch (const redis::TimeoutError& error) {
    EXPECT_TRUE(contains(error.what(), "TLS handshake timed out after 500 ms")) << error.what();
  } catch (const redis::IoError& error) {
    // A server that answers the ClientHello with an error reply instead.
    EXPECT_TRUE(contains(error.what(), "TLS")) << error.what();
  }
}

// --- riot end to end ---------------------------------------------------------

TEST_F(TlsTest, SnapshotFromPlainSourceToTlsTarget) {
  RedisServer source;
  RedisServer target(tls_server());
  fill(source);
  const auto result = replicate(source, target, {"--target-cacert", ca()});
  ASSERT_EQ(result.exit_code, 0) << result.describe();
  expect_same_data(source, target);
}

TEST_F(TlsTest, SnapshotFromTlsSourceToPlainTargetWithTheTlsFlag) {
  RedisServer source(tls_server());
  RedisServer target;
  fill(source);
  // A redis:// URI with --source-tls: the same as rediss://.
  const std::string source_uri = "redis://127.0.0.1:" + std::to_string(source.port());
  const auto result =
      riot({"replicate", source_uri, target.uri(), "--source-tls", "--source-cacert", ca()});
  ASSERT_EQ(result.exit_code, 0) << result.describe();
  expect_same_data(source, target);
}

TEST_F(TlsTest, MutualTlsOnBothSides) {
  RedisServer source(tls_server(/*auth_clients=*/true));
  RedisServer target(tls_server(/*auth_clients=*/true));
  fill(source);
  const std::string cert = pki().client_cert().string();
  const std::string key = pki().client_key().string();
  const auto result =
      replicate(source, target,
                {"--source-cacert", ca(), "--source-cert", cert, "--source-key", key,
                 "--target-cacert", ca(), "--target-cert", cert, "--target-key", key});
  ASSERT_EQ(result.exit_code, 0) << result.describe();
  expect_same_data(source, target);
}

TEST_F(TlsTest, MutualTlsWithAnEncryptedPkcs8Key) {
  RedisServer source;
  RedisServer target(tls_server(/*auth_clients=*/true));
  fill(source);
  const auto result =
      replicate(source, target,
                {"--target-cacert", ca(), "--target-cert", pki().client_cert().string(),
                 "--target-key", pki().encrypted_client_key().string(), "--target-key-pwd",
                 TlsCertificates::kClientKeyPassword});
  ASSERT_EQ(result.exit_code, 0) << result.describe();
  expect_same_data(source, target);
  EXPECT_FALSE(contains(result.out + result.err, TlsCertificates::kClientKeyPassword));
}

TEST_F(TlsTest, ClientWithoutCertificateAgainstAServerRequiringOne) {
  RedisServer source;
  RedisServer target(tls_server(/*auth_clients=*/true));
  fill(source);
  const auto result = replicate(source, target, {"--target-cacert", ca()});
  EXPECT_EQ(result.exit_code, 3) << result.describe();
  EXPECT_TRUE(contains(
      result.err, endpoint("target", target) + ": TLS: the server requires a client certificate"))
      << result.describe();
  EXPECT_TRUE(contains(result.err, "--target-cert")) << result.describe();
  EXPECT_EQ(key_count(target), 0);
}

TEST_F(TlsTest, HostNameMismatchFailsUnderFullAndPassesUnderCa) {
  RedisServer source;
  RedisServer target(wrong_name_server());
  fill(source);
  const auto failed = replicate(source, target, {"--target-cacert", ca()});
  EXPECT_EQ(failed.exit_code, 3) << failed.describe();
  EXPECT_TRUE(contains(failed.err, endpoint("target", target) + ": TLS handshake failed: host "
                                                                "name mismatch"))
      << failed.describe();
  EXPECT_TRUE(contains(failed.err, "wrong.example")) << "what the certificate is for\n"
                                                     << failed.describe();
  EXPECT_EQ(key_count(target), 0);

  const auto passed =
      replicate(source, target, {"--target-cacert", ca(), "--target-tls-verify", "ca"});
  ASSERT_EQ(passed.exit_code, 0) << passed.describe();
  expect_same_data(source, target);
}

TEST_F(TlsTest, UnknownCaFailsNamingTheSideAndInsecurePasses) {
  RedisServer source(tls_server());
  RedisServer target;
  fill(source);
  const auto failed =
      replicate(source, target, {"--source-cacert", pki().other_ca_cert().string()});
  EXPECT_EQ(failed.exit_code, 3) << failed.describe();
  EXPECT_TRUE(contains(failed.err, endpoint("source", source) + ": TLS handshake failed"))
      << failed.describe();
  EXPECT_TRUE(contains(failed.err, "certificate could not be verified")) << failed.describe();
  EXPECT_EQ(key_count(target), 0);

  const auto passed = replicate(source, target, {"--source-insecure"});
  ASSERT_EQ(passed.exit_code, 0) << passed.describe();
  expect_same_data(source, target);
}

// The same settings written by hand in a pipeline document, as the keys of
// every component that connects: "tls" on a redis:// URI, a client
// certificate with an encrypted key, "tls_verify" "ca" against a server
// certificate for another name.
TEST_F(TlsTest, PipelineDocumentCarriesTheSameSettings) {
  RedisServer source(tls_server(/*auth_clients=*/true));
  RedisServer target(wrong_name_server());
  fill(source);
  const nlohmann::json source_config{{"uri", "redis://127.0.0.1:" + std::to_string(source.port())},
                                     {"tls", true},
                                     {"cacert", ca()},
                                     {"cert", pki().client_cert().string()},
                                     {"key", pki().encrypted_client_key().string()},
                                     {"key_password", TlsCertificates::kClientKeyPassword}};
  nlohmann::json target_config{{"uri", target.uri()}, {"cacert", ca()}, {"tls_verify", "ca"}};
  const nlohmann::json document{
      {"version", 1},
      {"stages",
       {{"source", {{"component", "source.scan"}, {"config", source_config}}},
        {"reader", {{"component", "codec.dump"}, {"config", source_config}}},
        {"sink", {{"component", "sink.restore"}, {"config", target_config}}}}}};
  const auto file = pki().directory() / "pipeline.json";
  std::ofstream(file) << document.dump(2);

  const auto validated = riot({"validate", file.string()});
  ASSERT_EQ(validated.exit_code, 0) << validated.describe();
  const auto result = riot({"run", file.string()});
  ASSERT_EQ(result.exit_code, 0) << result.describe();
  expect_same_data(source, target);

  // The sink checks the target's name when told to: the run stops.
  target.connect().checked({"FLUSHALL"});
  target_config["tls_verify"] = "full";
  const auto failed = riot({"run", "-"}, [&] {
    nlohmann::json strict = document;
    strict["stages"]["sink"]["config"] = target_config;
    return strict.dump();
  }());
  EXPECT_EQ(failed.exit_code, 3) << failed.describe();
  EXPECT_TRUE(contains(failed.err, "host name mismatch")) << failed.describe();
}

TEST_F(TlsTest, PrintedPipelineRunsTheSameTlsJob) {
  RedisServer source;
  RedisServer target(tls_server(/*auth_clients=*/true));
  fill(source);
  const auto printed =
      replicate(source, target,
                {"--target-cacert", ca(), "--target-cert", pki().client_cert().string(),
                 "--target-key", pki().client_key().string(), "--print-pipeline"});
  ASSERT_EQ(printed.exit_code, 0) << printed.describe();
  const auto result = riot({"run", "-"}, printed.out);
  ASSERT_EQ(result.exit_code, 0) << result.describe();
  expect_same_data(source, target);
}

}  // namespace
}  // namespace riot::test
