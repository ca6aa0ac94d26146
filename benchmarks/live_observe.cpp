// The live benchmark's observer: measures, on a target (riot's target or a
// native replica), how long each value written by riot-bench-live-load took
// to arrive.
//
//   riot-bench-live-observe URI [--end-key KEY] [--timeout S] [--grace-ms MS]
//
// It subscribes to the target's keyspace notifications for bench:* (the
// target needs notify-keyspace-events with K and A), prints "ready" once
// subscribed, and timestamps every notification as it arrives. A second
// thread then reads the stamp of the key's value (live_stamp.hpp): the lag of
// that write is the notification's arrival minus the stamp. A key changed
// again before it was read is read once, at the time of its last
// notification, so that no value is credited with an arrival earlier than
// its own (a stamp seen before is not counted twice). The reads happen after
// the arrival is taken: they add nothing to the lag.
//
// It ends --grace-ms (500) after --end-key (bench:end, written last by the
// load) arrived, or after --timeout seconds (300) without it, and prints one
// line:
//   samples=N p50_ms= p99_ms= max_ms= early_p50_ms= late_p50_ms= end_lag_ms=
//   end_arrived=0|1 kept_up=0|1
// early/late: the median lag of the writes sent in the first and last quarter
// of the load. kept_up: the end arrived and the late median is at most twice
// the early one plus 5 ms, i.e. no backlog grew during the load.
#include <hiredis/hiredis.h>
#include <poll.h>

#include <algorithm>
#include <atomic>
#include <charconv>
#include <condition_variable>
#include <cstdio>
#include <iostream>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <thread>
#include <unordered_map>
#include <vector>

#include "live_stamp.hpp"
#include "riot/redis/connection.hpp"

namespace {

using riot::bench::LiveType;
using riot::redis::Reply;

struct ObserveOptions {
  std::string uri;
  std::string end_key = "bench:end";
  double timeout_seconds = 300;
  int grace_ms = 500;
};

constexpr std::string_view kUsage =
    "usage: riot-bench-live-observe URI [--end-key KEY] [--timeout S] [--grace-ms MS]\n";
constexpr int kPollMs = 20;

ObserveOptions parse_options(int argc, char** argv) {
  ObserveOptions options;
  std::vector<std::string_view> args(argv + 1, argv + argc);
  for (std::size_t i = 0; i < args.size(); ++i) {
    const std::string_view arg = args[i];
    if (!arg.starts_with("--")) {
      options.uri = arg;
      continue;
    }
    if (i + 1 == args.size()) throw std::invalid_argument(std::string(arg) + " needs a value");
    const std::string value(args[++i]);
    if (arg == "--end-key")
      options.end_key = value;
    else if (arg == "--timeout")
      options.timeout_seconds = std::stod(value);
    else if (arg == "--grace-ms")
      options.grace_ms = std::stoi(value);
    else
      throw std::invalid_argument("unknown option " + std::string(arg));
  }
  if (options.uri.empty()) throw std::invalid_argument("URI missing");
  return options;
}

struct Arrival {
  std::string key;
  std::int64_t at_ns;
};

struct Sample {
  std::int64_t sent_ns;
  std::int64_t lag_ns;
};

// Arrivals handed from the subscriber thread to the reading thread.
class ArrivalQueue {
 public:
  void push(Arrival arrival) {
    {
      std::lock_guard lock(mutex_);
      arrivals_.push_back(std::move(arrival));
    }
    ready_.notify_one();
  }
  void close() {
    {
      std::lock_guard lock(mutex_);
      closed_ = true;
    }
    ready_.notify_one();
  }
  // Everything waiting; empty once closed and drained.
  std::vector<Arrival> take() {
    std::unique_lock lock(mutex_);
    ready_.wait(lock, [&] { return !arrivals_.empty() || closed_; });
    return std::exchange(arrivals_, {});
  }

 private:
  std::mutex mutex_;
  std::condition_variable ready_;
  std::vector<Arrival> arrivals_;
  bool closed_ = false;
};

// The command that reads a benchmark key's newest stamp.
void add_stamp_read(riot::redis::CommandBuffer& buffer, const std::string& key, LiveType type) {
  switch (type) {
    case LiveType::string:
      buffer.append({"GETRANGE", key, "0", "19"});
      return;
    case LiveType::hash:
      buffer.append({"HGET", key, riot::bench::kStampField});
      return;
    case LiveType::list:
      buffer.append({"LINDEX", key, "0"});
      return;
    case LiveType::set:
      buffer.append({"SMEMBERS", key});
      return;
    case LiveType::zset:
      buffer.append({"ZRANGE", key, "-1", "-1"});
      return;
    case LiveType::stream:
      buffer.append({"XREVRANGE", key, "+", "-", "COUNT", "1"});
      return;
  }
}

std::optional<std::int64_t> newest_stamp(const Reply& reply, LiveType type) {
  switch (type) {
    case LiveType::string:
    case LiveType::hash:
    case LiveType::list:
      return reply.is_string() ? riot::bench::decode_stamp(reply.str) : std::nullopt;
    case LiveType::set: {
      std::optional<std::int64_t> newest;
      for (const auto& member : reply.elements)
        if (const auto stamp = riot::bench::decode_stamp(member.str))
          newest = std::max(newest.value_or(0), *stamp);
      return newest;
    }
    case LiveType::zset:
      return reply.elements.empty() ? std::nullopt
                                    : riot::bench::decode_stamp(reply.elements[0].str);
    case LiveType::stream: {
      if (reply.elements.empty() || reply.elements[0].elements.size() < 2) return std::nullopt;
      const auto& fields = reply.elements[0].elements[1].elements;
      for (std::size_t i = 0; i + 1 < fields.size(); i += 2)
        if (fields[i].str == riot::bench::kStampField)
          return riot::bench::decode_stamp(fields[i + 1].str);
      return std::nullopt;
    }
  }
  return std::nullopt;
}

// Reads the stamps of the keys that arrived and turns them into samples.
class StampReader {
 public:
  StampReader(const ObserveOptions& options, riot::redis::ConnectionOptions connection_options)
      : options_(options), connection_(std::move(connection_options)) {
    connection_.connect();
  }

  void run(ArrivalQueue& queue) {
    while (true) {
      std::vector<Arrival> arrivals = queue.take();
      if (arrivals.empty()) return;
      read(arrivals);
    }
  }

  std::vector<Sample>& samples() { return samples_; }
  std::optional<std::int64_t> end_lag_ns() const { return end_lag_ns_; }

 private:
  void read(const std::vector<Arrival>& arrivals) {
    // The last arrival of each key: its value is read once.
    std::unordered_map<std::string, std::int64_t> last_arrival;
    for (const auto& arrival : arrivals) last_arrival[arrival.key] = arrival.at_ns;
    riot::redis::CommandBuffer buffer;
    std::vector<std::pair<std::string, std::int64_t>> keys;
    std::vector<LiveType> types;
    for (const auto& [key, at] : last_arrival) {
      if (key == options_.end_key) {
        buffer.append({"GET", key});
        types.push_back(LiveType::string);
      } else if (const auto type = riot::bench::type_of_key(key)) {
        add_stamp_read(buffer, key, *type);
        types.push_back(*type);
      } else {
        continue;
      }
      keys.emplace_back(key, at);
    }
    if (buffer.empty()) return;
    std::vector<Reply> replies;
    connection_.pipeline(buffer, replies);
    for (std::size_t i = 0; i < keys.size(); ++i) {
      const auto stamp = newest_stamp(replies.at(i), types[i]);
      if (!stamp) continue;
      const auto& [key, at] = keys[i];
      if (key == options_.end_key) {
        end_lag_ns_ = at - *stamp;
        continue;
      }
      auto& seen = newest_seen_[key];
      if (*stamp <= seen) continue;  // counted already, at its own arrival
      seen = *stamp;
      samples_.push_back({*stamp, std::max<std::int64_t>(0, at - *stamp)});
    }
  }

  ObserveOptions options_;
  riot::redis::Connection connection_;
  std::unordered_map<std::string, std::int64_t> newest_seen_;
  std::vector<Sample> samples_;
  std::optional<std::int64_t> end_lag_ns_;
};

// PSUBSCRIBE on its own hiredis connection; messages read as they come.
class Subscriber {
 public:
  Subscriber(const riot::redis::Uri& uri, const std::string& pattern) {
    context_ = redisConnect(uri.host.c_str(), uri.port);
    if (context_ == nullptr || context_->err)
      throw std::runtime_error("cannot connect to " + uri.endpoint() + ": " +
                               (context_ ? context_->errstr : "out of memory"));
    if (!uri.password.empty())
      expect_ok(uri.user.empty() ? command("AUTH %b", uri.password)
                                 : command("AUTH %b %b", uri.user, uri.password));
    redisReply* reply = command("PSUBSCRIBE %b", pattern);
    freeReplyObject(reply);
  }
  ~Subscriber() { redisFree(context_); }
  Subscriber(const Subscriber&) = delete;
  Subscriber& operator=(const Subscriber&) = delete;

  // The key of the next keyspace notification, waiting at most `wait_ms`;
  // nothing when none came (or the message was not a notification).
  std::optional<std::string> next_key(int wait_ms) {
    void* raw = nullptr;
    if (redisGetReplyFromReader(context_, &raw) != REDIS_OK) fail();
    if (raw == nullptr) {
      pollfd fd{context_->fd, POLLIN, 0};
      if (::poll(&fd, 1, wait_ms) <= 0) return std::nullopt;
      if (redisBufferRead(context_) != REDIS_OK) fail();
      if (redisGetReplyFromReader(context_, &raw) != REDIS_OK) fail();
      if (raw == nullptr) return std::nullopt;
    }
    auto* reply = static_cast<redisReply*>(raw);
    std::optional<std::string> key;
    // ["pmessage", pattern, "__keyspace@0__:KEY", event]
    if (reply->type == REDIS_REPLY_ARRAY && reply->elements == 4) {
      const std::string_view channel(reply->element[2]->str, reply->element[2]->len);
      const auto colon = channel.find("__:");
      if (colon != std::string_view::npos) key = std::string(channel.substr(colon + 3));
    }
    freeReplyObject(reply);
    return key;
  }

 private:
  // Arguments of %b come in (pointer, length) pairs.
  redisReply* command(const char* format, const std::string& one) {
    auto* reply = static_cast<redisReply*>(redisCommand(context_, format, one.data(), one.size()));
    if (reply == nullptr) fail();
    return reply;
  }
  redisReply* command(const char* format, const std::string& one, const std::string& two) {
    auto* reply = static_cast<redisReply*>(
        redisCommand(context_, format, one.data(), one.size(), two.data(), two.size()));
    if (reply == nullptr) fail();
    return reply;
  }
  static void expect_ok(redisReply* reply) {
    const bool ok = reply->type != REDIS_REPLY_ERROR;
    const std::string error = ok ? "" : std::string(reply->str, reply->len);
    freeReplyObject(reply);
    if (!ok) throw std::runtime_error("AUTH refused: " + error);
  }
  [[noreturn]] void fail() const {
    throw std::runtime_error(std::string("subscription lost: ") + context_->errstr);
  }

  redisContext* context_ = nullptr;
};

double percentile_ms(std::vector<std::int64_t> lags, double fraction) {
  if (lags.empty()) return 0;
  const auto at = static_cast<std::size_t>(fraction * static_cast<double>(lags.size() - 1));
  std::nth_element(lags.begin(), lags.begin() + static_cast<std::ptrdiff_t>(at), lags.end());
  return static_cast<double>(lags[at]) / 1e6;
}

void print_report(const std::vector<Sample>& samples, std::optional<std::int64_t> end_lag_ns) {
  std::vector<std::int64_t> lags, early, late;
  std::int64_t first = INT64_MAX, last = INT64_MIN;
  for (const auto& sample : samples) {
    first = std::min(first, sample.sent_ns);
    last = std::max(last, sample.sent_ns);
  }
  const std::int64_t quarter = (last - first) / 4;
  for (const auto& sample : samples) {
    lags.push_back(sample.lag_ns);
    if (sample.sent_ns <= first + quarter) early.push_back(sample.lag_ns);
    if (sample.sent_ns >= last - quarter) late.push_back(sample.lag_ns);
  }
  const double early_p50 = percentile_ms(early, 0.5);
  const double late_p50 = percentile_ms(late, 0.5);
  const bool kept_up = end_lag_ns.has_value() && late_p50 <= 2 * early_p50 + 5;
  std::printf(
      "samples=%zu p50_ms=%.2f p99_ms=%.2f max_ms=%.2f early_p50_ms=%.2f late_p50_ms=%.2f "
      "end_lag_ms=%.2f end_arrived=%d kept_up=%d\n",
      samples.size(), percentile_ms(lags, 0.5), percentile_ms(lags, 0.99), percentile_ms(lags, 1.0),
      early_p50, late_p50, end_lag_ns ? static_cast<double>(*end_lag_ns) / 1e6 : -1.0,
      end_lag_ns ? 1 : 0, kept_up ? 1 : 0);
  std::fflush(stdout);
}

int run(const ObserveOptions& options) {
  riot::redis::ConnectionOptions connection_options;
  connection_options.uri = riot::redis::Uri::parse(options.uri);
  connection_options.client_name = "riot-bench-live-observe";
  const std::string pattern = "__keyspace@" + std::to_string(connection_options.uri.db) +
                              "__:" + std::string(riot::bench::kKeyPrefix) + "*";
  Subscriber subscriber(connection_options.uri, pattern);
  StampReader reader(options, connection_options);
  std::printf("ready\n");
  std::fflush(stdout);

  ArrivalQueue queue;
  std::thread reading([&] { reader.run(queue); });
  using Clock = std::chrono::steady_clock;
  const auto deadline = Clock::now() + std::chrono::duration_cast<Clock::duration>(
                                           std::chrono::duration<double>(options.timeout_seconds));
  std::optional<Clock::time_point> end_seen;
  try {
    while (Clock::now() < deadline &&
           (!end_seen || Clock::now() < *end_seen + std::chrono::milliseconds(options.grace_ms))) {
      const auto key = subscriber.next_key(kPollMs);
      if (!key) continue;
      const std::int64_t at = riot::bench::now_ns();
      if (*key == options.end_key && !end_seen) end_seen = Clock::now();
      queue.push({*key, at});
    }
  } catch (...) {
    queue.close();
    reading.join();
    throw;
  }
  queue.close();
  reading.join();
  print_report(reader.samples(), reader.end_lag_ns());
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  try {
    return run(parse_options(argc, argv));
  } catch (const std::invalid_argument& error) {
    std::cerr << error.what() << "\n" << kUsage;
    return 2;
  } catch (const std::exception& error) {
    std::cerr << "riot-bench-live-observe: " << error.what() << "\n";
    return 1;
  }
}
