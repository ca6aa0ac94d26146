#include "support/live_writer.hpp"

#include <cstdio>
#include <stdexcept>
#include <utility>

#include "riot/record.hpp"
#include "support/cluster_keyspace.hpp"
#include "support/live_writer_mix.hpp"
#include "support/redis_cluster.hpp"
#include "support/redis_server.hpp"

namespace riot::test {
namespace {

using Clock = std::chrono::steady_clock;
using namespace std::chrono_literals;

constexpr std::size_t kErrorsKept = 10;
// A source that stays unreachable this long (a failover that never ends)
// ends the writer, with the last error in its report.
constexpr auto kGiveUpAfter = 60s;
constexpr auto kReconnectPause = 50ms;

std::unique_ptr<redis::Connection> connect_to(const RedisServer& server) {
  return std::make_unique<redis::Connection>(server.connect());
}

}  // namespace

// --- LiveWriterReport -------------------------------------------------------

std::size_t LiveWriterReport::count(std::string_view command) const {
  const auto found = per_command.find(std::string(command));
  return found == per_command.end() ? 0 : found->second;
}

std::string LiveWriterReport::describe() const {
  char seconds[32];
  std::snprintf(seconds, sizeof seconds, "%.1f", std::chrono::duration<double>(elapsed).count());
  std::string text = std::to_string(commands) + " commands in " + seconds + " s (";
  bool first = true;
  for (const auto& [command, count] : per_command) {
    text += (first ? "" : ", ") + command + " " + std::to_string(count);
    first = false;
  }
  text += "), " + std::to_string(expected_errors) + " expected error replies, " +
          std::to_string(unexpected_error_count) + " unexpected, " + std::to_string(lost_batches) +
          " batches lost with their connection";
  for (const auto& error : unexpected_errors) text += "\n  unexpected: " + error;
  if (!failure.empty()) text += "\n  stopped early: " + failure;
  return text;
}

// --- LiveWriter -------------------------------------------------------------

LiveWriter::LiveWriter(const RedisServer& server, LiveWriterOptions options)
    : LiveWriter(connect_to(server), nullptr, std::move(options)) {}

LiveWriter::LiveWriter(redis::ConnectionOptions connection, LiveWriterOptions options)
    : LiveWriter(std::make_unique<redis::Connection>(std::move(connection)), nullptr,
                 std::move(options)) {}

LiveWriter::LiveWriter(RedisCluster& cluster, LiveWriterOptions options)
    : LiveWriter(nullptr, std::make_unique<ClusterKeyspace>(cluster), std::move(options)) {}

LiveWriter::LiveWriter(std::unique_ptr<redis::Connection> connection,
                       std::unique_ptr<Keyspace> keyspace, LiveWriterOptions options)
    : options_(std::move(options)),
      connection_(std::move(connection)),
      keyspace_(std::move(keyspace)) {
  if (options_.batch == 0) throw std::invalid_argument("LiveWriter: batch must be at least 1");
  if (options_.short_ttl_max < options_.short_ttl_min)
    throw std::invalid_argument("LiveWriter: short_ttl_max is below short_ttl_min");
  const bool cluster = keyspace_ != nullptr;
  if (!cluster) keyspace_ = std::make_unique<StandaloneKeyspace>(*connection_);
  mix_ = make_command_mix(options_, cluster);
}

LiveWriter::~LiveWriter() {
  if (thread_.joinable()) stop();
}

void LiveWriter::start() {
  if (thread_.joinable()) throw std::logic_error("LiveWriter: already started");
  thread_ = std::thread([this] { write_until_done(); });
}

LiveWriterReport LiveWriter::stop() {
  stop_requested_ = true;
  return wait();
}

LiveWriterReport LiveWriter::wait() {
  if (thread_.joinable()) thread_.join();
  return report_;
}

LiveWriterReport LiveWriter::run() {
  write_until_done();
  return report_;
}

bool LiveWriter::wait_for_commands(std::size_t count) {
  std::unique_lock lock(mutex_);
  progressed_.wait(lock, [&] { return sent_ >= count || ended_; });
  return sent_ >= count;
}

void LiveWriter::write_until_done() {
  const auto started = Clock::now();
  KeyedCommands batch;
  std::vector<redis::Reply> replies;
  while (!stop_requested_ && !mix_->done() &&
         (options_.max_commands == 0 || sent_ < options_.max_commands)) {
    fill(batch);
    if (options_.rate > 0) {
      // Paced by the commands sent so far: a slow round trip is made up for.
      const auto due =
          started + std::chrono::duration_cast<Clock::duration>(
                        std::chrono::duration<double>(static_cast<double>(sent_) / options_.rate));
      std::this_thread::sleep_until(due);
    }
    try {
      send(batch, replies);
    } catch (const std::exception& error) {
      report_.failure = error.what();
      break;
    }
    mix_->observe(batch, replies);
    tally(batch, replies);
    {
      std::lock_guard lock(mutex_);
      sent_ += replies.size();
    }
    progressed_.notify_all();
  }
  report_.commands = sent_;
  report_.elapsed = Clock::now() - started;
  {
    std::lock_guard lock(mutex_);
    ended_ = true;
  }
  progressed_.notify_all();
}

void LiveWriter::fill(KeyedCommands& batch) {
  batch.clear();
  while (batch.size() < options_.batch && !mix_->done()) mix_->next(batch);
}

// Sends the batch; a connection lost on the way (a failover, a node killed)
// loses the batch (its commands may or may not have run: the source is the
// truth either way) and the writer reconnects, until kGiveUpAfter.
void LiveWriter::send(KeyedCommands& batch, std::vector<redis::Reply>& replies) {
  const auto deadline = Clock::now() + kGiveUpAfter;
  while (true) {
    try {
      replies = keyspace_->pipeline(batch);
      return;
    } catch (const std::exception& error) {
      ++report_.lost_batches;
      if (Clock::now() > deadline || stop_requested_)
        throw std::runtime_error(keyspace_->describe() + ": " + error.what());
      std::this_thread::sleep_for(kReconnectPause);
      try {
        keyspace_->refresh();
      } catch (const std::exception&) {
        // Still unreachable: the next attempt says so.
      }
      // The lost batch is not sent again (it may have run): the next one is made.
      mix_->observe(batch, {});
      fill(batch);
    }
  }
}

void LiveWriter::tally(const KeyedCommands& batch, const std::vector<redis::Reply>& replies) {
  std::vector<std::string_view> args;
  for (std::size_t i = 0; i < replies.size(); ++i) {
    batch.args(i, args);
    const std::string command(args.front());
    ++report_.per_command[command];
    if (!replies[i].is_error()) continue;
    if (is_expected_error(command, replies[i].str)) {
      ++report_.expected_errors;
      continue;
    }
    ++report_.unexpected_error_count;
    if (report_.unexpected_errors.size() < kErrorsKept)
      report_.unexpected_errors.push_back(command + " " + printable_key(batch.key(i)) + ": " +
                                          replies[i].str);
  }
}

}  // namespace riot::test
