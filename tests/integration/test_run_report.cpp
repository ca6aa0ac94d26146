// The run report (--report), the Prometheus endpoint (--metrics-port) and the
// rate limit (--rate) with the real riot binary and real servers: a report
// after a success, after failed keys, a refusal, a fatal error and an
// interruption, none holding the servers' passwords; the endpoint scraped
// over HTTP with a plain socket while a live run follows the source, its
// counters matching what riot wrote; a rate-limited copy taking at least the
// time its rate allows.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <csignal>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <optional>
#include <random>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "live_test_fixture.hpp"
#include "snapshot_test_fixture.hpp"
#include "support/background_riot.hpp"
#include "support/test_files.hpp"

namespace riot::test {
namespace {

using nlohmann::json;
using namespace std::chrono_literals;

constexpr int kExitKeysFailed = 1;
constexpr int kExitUsage = 2;

const std::string kSourcePassword = "src-Secret-4711";
const std::string kTargetPassword = "dst-Secret-0815";

RedisServerOptions with_password(const std::string& password, bool notifying = false) {
  RedisServerOptions options;
  options.password = password;
  if (notifying) options.config.push_back("notify-keyspace-events KEA");
  return options;
}

std::string read_text(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

json read_report(const std::filesystem::path& path) {
  const std::string text = read_text(path);
  EXPECT_FALSE(text.empty()) << "no report at " << path;
  return json::parse(text);
}

// The report's pipeline named `name`, or null.
json pipeline_named(const json& report, const std::string& name) {
  for (const json& pipeline : report["pipelines"])
    if (pipeline["name"] == name) return pipeline;
  return nullptr;
}

::testing::AssertionResult holds_no_password(const std::string& text) {
  for (const std::string& secret : {kSourcePassword, kTargetPassword}) {
    if (text.find(secret) != std::string::npos)
      return ::testing::AssertionFailure() << "the password " << secret << " is in:\n" << text;
  }
  return ::testing::AssertionSuccess();
}

// GET /metrics over a plain TCP socket; the body, or nothing when the
// endpoint does not answer.
std::optional<std::string> scrape(std::uint16_t port) {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) return std::nullopt;
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(port);
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::connect(fd, reinterpret_cast<const sockaddr*>(&address), sizeof address) != 0) {
    ::close(fd);
    return std::nullopt;
  }
  const std::string request =
      "GET /metrics HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n";
  if (::send(fd, request.data(), request.size(), 0) != static_cast<ssize_t>(request.size())) {
    ::close(fd);
    return std::nullopt;
  }
  std::string response;
  char buffer[8192];
  for (ssize_t got; (got = ::recv(fd, buffer, sizeof buffer, 0)) > 0;) response.append(buffer, got);
  ::close(fd);
  const std::size_t body = response.find("\r\n\r\n");
  if (response.rfind("HTTP/1.1 200", 0) != 0 || body == std::string::npos) return std::nullopt;
  return response.substr(body + 4);
}

// The value of the first sample of `series` ("riot_keys_written_total", or
// with labels as far as given: "riot_queue_depth{pipeline=\"p\",stage"), or
// -1 when there is none.
double sample(const std::string& text, const std::string& series) {
  std::size_t at = text.find("\n" + series);
  while (at != std::string::npos) {
    const std::size_t end = text.find('\n', at + 1);
    const std::string line = text.substr(at + 1, end - at - 1);
    const char next = line.size() > series.size() ? line[series.size()] : '\0';
    // Not a longer name ("riot_keys_written_total_x"), a whole series.
    if (next == ' ' || next == '{' || series.back() == ',' || series.back() == '"')
      return std::stod(line.substr(line.rfind(' ') + 1));
    at = text.find("\n" + series, at + 1);
  }
  return -1;
}

// Scrapes until `done` says the text is what the test waits for, for up to a
// minute; the last text either way.
template <typename Done>
std::string scrape_until(std::uint16_t port, Done done) {
  std::string last;
  const auto deadline = std::chrono::steady_clock::now() + 60s;
  while (std::chrono::steady_clock::now() < deadline) {
    if (std::optional<std::string> text = scrape(port)) {
      last = "\n" + *text;
      if (done(last)) break;
    }
    std::this_thread::sleep_for(20ms);
  }
  return last;
}

class RunReportTest : public SnapshotTest {
 protected:
  std::filesystem::path directory_ = make_temp_directory("report");
  std::filesystem::path report_ = directory_ / "report.json";
};

TEST_F(RunReportTest, ASuccessfulCopyReportsItsPhasesAndVerification) {
  auto source = source_->connect();
  write_strings(source, 500, 32);
  const std::string binary_key("bin\0\r\n\xff", 7);
  source.checked({"HSET", binary_key, "f", "v"});
  const long long keys = source.checked({"DBSIZE"}).integer;

  const ProcessResult result = replicate({"--report", report_.string()});
  ASSERT_EQ(result.exit_code, 0) << result.describe();
  const json report = read_report(report_);
  EXPECT_EQ(report["exit_code"], 0);
  EXPECT_EQ(report["command"], "replicate");
  EXPECT_LE(report["started_at"].get<std::string>(), report["ended_at"].get<std::string>());
  // The options in effect: the document --print-pipeline shows.
  const ProcessResult printed = replicate({"--print-pipeline"});
  ASSERT_EQ(printed.exit_code, 0) << printed.describe();
  EXPECT_EQ(report["options"], json::parse(printed.out));

  // The copy first, then its verification.
  ASSERT_EQ(report["pipelines"].size(), 2u) << report.dump(2);
  const json copy = report["pipelines"][0];
  EXPECT_EQ(copy["outcome"], "finished");
  EXPECT_EQ(copy["phases"]["scan"]["keys"], keys);
  EXPECT_EQ(copy["phases"]["read"]["keys"], keys);
  EXPECT_EQ(copy["phases"]["write"]["keys"], target_->connect().checked({"DBSIZE"}).integer);
  EXPECT_EQ(copy["phases"]["write"]["keys"], result.summary_count("keys written"));
  EXPECT_GT(copy["phases"]["read"]["bytes"].get<long long>(), 0);
  EXPECT_GT(copy["phases"]["write"]["keys_per_second"].get<double>(), 0);
  ASSERT_EQ(copy["passes"].size(), 1u);
  EXPECT_EQ(copy["passes"][0]["pass"], "replicate");

  const json verify = pipeline_named(report, "verify");
  ASSERT_FALSE(verify.is_null()) << report.dump(2);
  EXPECT_EQ(verify["verification"]["counts"]["ok"], keys);
  EXPECT_EQ(verify["verification"]["counts"]["differences"], 0);
  EXPECT_EQ(verify["passes"][0]["pass"], "compare");
}

// Failed keys (exit 1) with passwords on both sides: the keys by cause, a
// binary one in base64, and no password anywhere, at debug level too.
TEST_F(RunReportTest, FailedKeysAreListedAndNoPasswordIsInTheReportOrTheLog) {
  source_ = std::make_unique<RedisServer>(with_password(kSourcePassword));
  target_ = std::make_unique<RedisServer>(with_password(kTargetPassword));
  auto source = source_->connect();
  write_strings(source, 200, 16);
  // Random bytes above the target's bulk limit: this key alone fails.
  const std::string big_key("big\0\xff", 5);
  std::mt19937_64 random_bytes(7);
  std::string big(2 * 1024 * 1024, '\0');
  for (auto& byte : big) byte = static_cast<char>(random_bytes());
  source.checked({"SET", big_key, big});
  target_->connect().checked({"CONFIG", "SET", "proto-max-bulk-len", "1mb"});

  const ProcessResult result = replicate({"-d", "--no-verify", "--report", report_.string()});
  ASSERT_EQ(result.exit_code, kExitKeysFailed) << result.describe();
  const std::string text = read_text(report_);
  EXPECT_TRUE(holds_no_password(text));
  EXPECT_TRUE(holds_no_password(result.err + result.out));
  const json report = json::parse(text);
  EXPECT_EQ(report["exit_code"], kExitKeysFailed);
  EXPECT_NE(text.find("<redacted>"), std::string::npos) << "the URIs held passwords";
  const json& copy = report["pipelines"][0];
  EXPECT_EQ(copy["outcome"], "keys_failed");
  EXPECT_EQ(copy["keys_failed"], result.summary_count("keys failed"));
  ASSERT_EQ(copy["failures"].size(), 1u) << text;
  const json& cause = copy["failures"][0];
  EXPECT_EQ(cause["keys"], 1);
  EXPECT_EQ(cause["more_keys"], 0);
  EXPECT_EQ(cause["first_keys"][0]["key_base64"], "YmlnAP8=");
}

TEST_F(RunReportTest, ARefusedRunIsReportedWithExitCodeTwo) {
  const ProcessResult result =
      replicate(source_->uri(), source_->uri(), {"--no-verify", "--report", report_.string()});
  ASSERT_EQ(result.exit_code, kExitUsage) << result.describe();
  const json report = read_report(report_);
  EXPECT_EQ(report["exit_code"], kExitUsage);
  EXPECT_EQ(report["pipelines"][0]["outcome"], "refused");
  EXPECT_TRUE(report["pipelines"][0]["refused"].is_string());
}

TEST_F(RunReportTest, AFatalErrorIsReportedWithExitCodeThree) {
  // Nothing listens there: the target is unreachable at the start.
  const std::string unreachable =
      "redis://user:" + kTargetPassword + "@127.0.0.1:" + std::to_string(free_port());
  const ProcessResult result = replicate(
      source_->uri(), unreachable, {"--no-verify", "--retry", "0", "--report", report_.string()});
  ASSERT_EQ(result.exit_code, kExitFatal) << result.describe();
  const std::string text = read_text(report_);
  EXPECT_TRUE(holds_no_password(text));
  const json report = json::parse(text);
  EXPECT_EQ(report["exit_code"], kExitFatal);
  EXPECT_EQ(report["pipelines"][0]["outcome"], "fatal_error");
  EXPECT_TRUE(report["pipelines"][0]["fatal_error"].is_string());
}

TEST_F(RunReportTest, AnUnwritableReportIsRefusedBeforeAnythingConnects) {
  const std::string path = (directory_ / "missing" / "report.json").string();
  // The target does not exist either: the report is refused first.
  const ProcessResult result = replicate(
      source_->uri(), "redis://127.0.0.1:" + std::to_string(free_port()), {"--report", path});
  // Exit 2, not 3: riot stopped before it tried the target.
  EXPECT_EQ(result.exit_code, kExitUsage) << result.describe();
  EXPECT_TRUE(result.mentions("--report '" + path + "'")) << result.describe();
  EXPECT_FALSE(std::filesystem::exists(path));
}

// A rate-limited copy takes at least the time its rate allows (a lower bound
// only), is stopped by SIGTERM while it runs, and still writes its report
// (130).
TEST_F(RunReportTest, ARateLimitedCopyTakesItsTimeAndAnInterruptionIsReported) {
  constexpr long long kKeys = 600;
  constexpr long long kRate = 200;  // keys per second: 3 s at least for the whole copy
  auto source = source_->connect();
  write_strings(source, kKeys, 16);

  // Uninterrupted: a lower bound on the elapsed time, from the first round on.
  const ProcessResult limited = replicate({"--no-verify", "--rate", std::to_string(kRate),
                                           "--read-batch", "50", "--report", report_.string()});
  ASSERT_EQ(limited.exit_code, 0) << limited.describe();
  EXPECT_GE(limited.seconds, static_cast<double>(kKeys - 50) / kRate) << limited.describe();
  const json report = read_report(report_);
  EXPECT_EQ(report["options"]["runtime"]["rate_keys"], kRate);
  EXPECT_GT(report["pipelines"][0]["phases"]["read"]["rate_limit_wait_seconds"].get<double>(), 0);

  // Interrupted (SIGTERM, as a service manager stops it) once keys started landing.
  auto target = target_->connect();
  target.checked({"FLUSHALL"});
  const std::filesystem::path interrupted = directory_ / "interrupted.json";
  BackgroundRiot riot({"replicate", source_->uri(), target_->uri(), "--progress", "none",
                       "--no-verify", "--rate", "50", "--read-batch", "10", "--report",
                       interrupted.string()});
  ASSERT_GT(riot.pid(), 0);
  const auto deadline = std::chrono::steady_clock::now() + 60s;
  while (target.checked({"DBSIZE"}).integer == 0 && std::chrono::steady_clock::now() < deadline)
    std::this_thread::sleep_for(10ms);
  ASSERT_EQ(::kill(riot.pid(), SIGTERM), 0);
  const ProcessResult result = riot.wait();
  ASSERT_EQ(result.exit_code, kExitInterrupted) << result.describe();
  const json stopped = read_report(interrupted);
  EXPECT_EQ(stopped["exit_code"], kExitInterrupted);
  EXPECT_EQ(stopped["pipelines"][0]["outcome"], "interrupted");
  EXPECT_LT(stopped["pipelines"][0]["phases"]["write"]["keys"].get<long long>(), kKeys);
}

// A live run with passwords, scraped while it follows the source: the
// counters say what riot wrote (the target's own count), notifications and
// lag show, no password is served; SIGINT ends it with its report.
TEST(MetricsEndpoint, ServesWhatALiveRunWroteAndNoSecret) {
  RedisServer source_server(with_password(kSourcePassword, true));
  RedisServer target_server(with_password(kTargetPassword));
  auto source = source_server.connect();
  auto target = target_server.connect();
  write_strings(source, 300, 16, "before:");
  const std::uint16_t port = free_port();
  const std::filesystem::path directory = make_temp_directory("metrics");
  const std::filesystem::path report_path = directory / "report.json";
  auto riot = start_live(
      live_args(source_server.uri(), target_server.uri(), "live", 0ms,
                {"-d", "--metrics-port", std::to_string(port), "--report", report_path.string()}));
  ASSERT_GT(riot->pid(), 0);
  ASSERT_TRUE(wait_for_subscriptions(source));

  const std::string written = "riot_keys_written_total";
  // The scanned keys, once the target holds them all and the counter caught up.
  std::string text = scrape_until(port, [&](const std::string& now) {
    return target.checked({"DBSIZE"}).integer == 300 && sample(now, written) == 300;
  });
  EXPECT_EQ(sample(text, written), target.checked({"DBSIZE"}).integer) << text;
  EXPECT_TRUE(text.find("# TYPE riot_keys_written_total counter") != std::string::npos) << text;
  EXPECT_GE(sample(text, "riot_queue_depth"), 0) << text;
  EXPECT_NE(text.find("stage=\"reader\""), std::string::npos) << text;

  // Changes followed: notifications counted, the lag summarised.
  write_strings(source, 100, 16, "after:");
  text = scrape_until(port, [&](const std::string& now) {
    return target.checked({"DBSIZE"}).integer == 400 && sample(now, written) == 400 &&
           sample(now, "riot_replication_lag_seconds_count") >= 100;
  });
  EXPECT_EQ(sample(text, written), target.checked({"DBSIZE"}).integer) << text;
  EXPECT_GE(sample(text, "riot_events_received_total"), 100) << text;
  EXPECT_GE(sample(text, "riot_replication_lag_seconds_count"), 100) << text;
  EXPECT_NE(text.find("quantile=\"0.99\"}"), std::string::npos) << text;
  EXPECT_TRUE(holds_no_password(text));

  ASSERT_EQ(::kill(riot->pid(), SIGINT), 0);
  const ProcessResult result = riot->wait();
  ASSERT_EQ(result.exit_code, kExitInterrupted) << result.describe();
  const std::string report_text = read_text(report_path);
  EXPECT_TRUE(holds_no_password(report_text));
  EXPECT_TRUE(holds_no_password(result.err + result.out));
  const json report = json::parse(report_text);
  EXPECT_EQ(report["exit_code"], kExitInterrupted);
  ASSERT_EQ(report["pipelines"].size(), 1u) << report_text;
  const json copy = report["pipelines"][0];
  EXPECT_EQ(copy["phases"]["write"]["keys"], target.checked({"DBSIZE"}).integer);
  EXPECT_GE(copy["live"]["events_received"].get<long long>(), 100);
  EXPECT_GE(copy["live"]["lag"]["samples"].get<long long>(), 100);
  EXPECT_LE(copy["live"]["lag"]["p50_ms"].get<double>(),
            copy["live"]["lag"]["p99_ms"].get<double>());
}

// Port 0: riot picks a free port and says which.
TEST(MetricsEndpoint, PortZeroPicksAFreePortAndLogsIt) {
  RedisServer source_server;
  RedisServer target_server;
  auto source = source_server.connect();
  write_strings(source, 10, 8);
  const ProcessResult result = run_riot({"replicate", source_server.uri(), target_server.uri(),
                                         "--progress", "none", "--metrics-port", "0"});
  ASSERT_EQ(result.exit_code, 0) << result.describe();
  const std::size_t at = result.err.find("metrics: serving http://127.0.0.1:");
  ASSERT_NE(at, std::string::npos) << result.describe();
  const int port = std::stoi(result.err.substr(at + 34));
  EXPECT_GT(port, 0) << result.describe();
}

TEST(MetricsEndpoint, APortInUseIsRefusedBeforeAnythingConnects) {
  std::uint16_t port = 0;
  const int listener = listen_on_loopback(port, "a port in use");
  const ProcessResult result =
      run_riot({"replicate", "redis://127.0.0.1:" + std::to_string(free_port()),
                "redis://127.0.0.1:" + std::to_string(free_port()), "--progress", "none",
                "--metrics-port", std::to_string(port)});
  ::close(listener);
  EXPECT_EQ(result.exit_code, kExitUsage) << result.describe();
  EXPECT_TRUE(result.mentions("--metrics-port " + std::to_string(port))) << result.describe();
}

}  // namespace
}  // namespace riot::test
