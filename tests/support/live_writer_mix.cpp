#include "support/live_writer_mix.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <deque>
#include <random>
#include <string>
#include <utility>

namespace riot::test {
namespace {

using redis::Reply;

// A key's "family": the type it holds, plus the integer strings INCR needs.
// Keys are only ever renamed, copied or restored within their family, so a
// command never meets a key of another type.
enum class Family : std::uint8_t { string, counter, hash, list, set, zset, stream };
constexpr std::array kFamilies{Family::string, Family::counter, Family::hash,  Family::list,
                               Family::set,    Family::zset,    Family::stream};

std::string_view family_name(Family family) {
  switch (family) {
    case Family::string:
      return "string";
    case Family::counter:
      return "counter";
    case Family::hash:
      return "hash";
    case Family::list:
      return "list";
    case Family::set:
      return "set";
    case Family::zset:
      return "zset";
    case Family::stream:
      return "stream";
  }
  return "?";
}

// Bytes that break text protocols and C strings: every fifth key ends with them.
const std::string kBinarySuffix("\0\r\n\xff", 4);

constexpr std::size_t kKeysPerTag = 4;  // keys that share a hash tag (RENAME, COPY partners)
constexpr std::size_t kFieldPool = 16;  // hash fields and collection members drawn from
constexpr std::string_view kStreamLength = "100";  // XADD's MAXLEN
constexpr std::string_view kStreamTrim = "20";     // XTRIM's MAXLEN
constexpr std::string_view kLongTtlSeconds = "3600";
constexpr std::string_view kLongTtlMs = "3600000";
constexpr std::size_t kAwaitedRestores = 32;  // DUMP payloads kept for RESTORE
constexpr std::size_t kAwaitedAcks = 32;      // delivered stream entries kept for XACK

class Random {
 public:
  explicit Random(unsigned seed) : engine_(seed) {}
  std::size_t below(std::size_t bound) { return bound == 0 ? 0 : engine_() % bound; }
  bool chance(double probability) {
    return std::uniform_real_distribution<>(0, 1)(engine_) < probability;
  }
  std::string number(std::size_t bound) { return std::to_string(below(bound)); }
  // Random bytes, mostly short, sometimes a few KB: the sizes of real values.
  std::string value() {
    const double exponent = std::uniform_real_distribution<>(0, 14)(engine_);  // 1 B to 16 KB
    const auto size = static_cast<std::size_t>(std::exp2(exponent * exponent / 14));
    return bytes(size);
  }
  std::string bytes(std::size_t size) {
    std::string out(size, '\0');
    for (auto& byte : out) byte = static_cast<char>(engine_() & 0xff);
    return out;
  }
  // A field or member from a small pool, so that removals find something;
  // some are binary.
  std::string member() {
    const std::size_t n = below(kFieldPool);
    return n % 4 == 0 ? "m" + std::to_string(n) + kBinarySuffix : "m" + std::to_string(n);
  }

 private:
  std::mt19937_64 engine_;
};

// The command name of command `index` of a batch.
std::string_view command_name(const KeyedCommands& batch, std::size_t index,
                              std::vector<std::string_view>& args) {
  batch.args(index, args);
  return args.front();
}

// --- mixed ------------------------------------------------------------------

class MixedCommands final : public CommandMix {
 public:
  MixedCommands(const LiveWriterOptions& options, bool cluster)
      : options_(options),
        random_(options.seed),
        tags_(std::max<std::size_t>(1, options.keys_per_type / kKeysPerTag)),
        move_db_(cluster ? -1 : options.move_db) {}

  void next(KeyedCommands& batch) override {
    if (!restores_.empty() && random_.chance(0.03)) return restore(batch);
    const Family family = kFamilies[random_.below(kFamilies.size())];
    const std::size_t index = random_.below(tags_ * kKeysPerTag);
    const std::string key = key_name(family, index);
    if (random_.chance(0.6))
      write_value(batch, family, key);
    else
      change_key(batch, family, index, key);
  }

  void observe(const KeyedCommands& batch, const std::vector<Reply>& replies) override {
    std::vector<std::string_view> args;
    for (std::size_t i = 0; i < batch.size() && i < replies.size(); ++i) {
      const std::string_view command = command_name(batch, i, args);
      if (command == "DUMP")
        learn_dump(args, replies[i]);
      else if (command == "XREADGROUP")
        learn_delivered(args, replies[i]);
    }
    // A batch lost with its connection leaves DUMPs unanswered.
    pending_destinations_.clear();
  }

  bool done() const override { return false; }

 private:
  struct Restore {
    std::string destination;
    std::string payload;
  };
  struct Ack {
    std::string key;
    std::string group;
    std::vector<std::string> ids;
  };

  // "live:hash:{3}:7": keys of one tag share a slot on a cluster.
  std::string key_name(Family family, std::size_t index) const {
    std::string key = options_.prefix;
    key += family_name(family);
    key += ":{" + std::to_string(index % tags_) + "}:" + std::to_string(index);
    if (index % 5 == 0) key += kBinarySuffix;
    return key;
  }

  // Another key of the same family and hash tag.
  std::string partner_of(Family family, std::size_t index) {
    const std::size_t tag = index % tags_;
    const std::size_t member = index / tags_;
    const std::size_t other = (member + 1 + random_.below(kKeysPerTag - 1)) % kKeysPerTag;
    return key_name(family, tag + tags_ * other);
  }

  void write_value(KeyedCommands& batch, Family family, const std::string& key) {
    const std::size_t roll = random_.below(100);
    switch (family) {
      case Family::string:
        if (roll < 50)
          batch.add({"SET", key, random_.value()});
        else if (roll < 60)
          batch.add({"SET", key, random_.value(), "EX", kLongTtlSeconds});
        else
          batch.add({"APPEND", key, random_.value()});
        return;
      case Family::counter:
        if (roll < 70)
          batch.add({"INCR", key});
        else
          batch.add({"INCRBY", key, random_.number(1000)});
        return;
      case Family::hash:
        if (roll < 70)
          batch.add(
              {"HSET", key, random_.member(), random_.value(), random_.member(), random_.value()});
        else
          batch.add({"HDEL", key, random_.member()});
        return;
      case Family::list:
        if (roll < 50)
          batch.add({"LPUSH", key, random_.value(), random_.value()});
        else if (roll < 75)
          batch.add({"RPOP", key});
        else if (roll < 90)
          batch.add({"LSET", key, "0", random_.value()});
        else
          batch.add({"LTRIM", key, "0", "49"});
        return;
      case Family::set:
        if (roll < 65)
          batch.add({"SADD", key, random_.member(), random_.member()});
        else
          batch.add({"SREM", key, random_.member()});
        return;
      case Family::zset:
        if (roll < 50)
          batch.add({"ZADD", key, random_.number(1000), random_.member()});
        else if (roll < 75)
          batch.add({"ZINCRBY", key, "1.5", random_.member()});
        else
          batch.add({"ZREM", key, random_.member()});
        return;
      case Family::stream:
        write_stream(batch, key, roll);
        return;
    }
  }

  void write_stream(KeyedCommands& batch, const std::string& key, std::size_t roll) {
    const std::string group = "g" + random_.number(2);
    if (roll < 40) {
      add_stream_entry(batch, key);
    } else if (roll < 50) {
      batch.add({"XTRIM", key, "MAXLEN", kStreamTrim});
    } else if (roll < 65) {
      batch.add(key, {"XGROUP", "CREATE", key, group, "$", "MKSTREAM"});
    } else if (roll < 85) {
      batch.add(key, {"XREADGROUP", "GROUP", group, "c" + random_.number(3), "COUNT", "3",
                      "STREAMS", key, ">"});
      // XREADGROUP and XACK change a stream's consumer groups without any
      // keyspace notification (Redis sends none for them), so no follower of
      // the notifications can see them until the stream changes again: the
      // entry added next is that change, as a busy stream's producer makes.
      add_stream_entry(batch, key);
    } else if (!acks_.empty()) {
      const Ack ack = std::move(acks_.front());
      acks_.pop_front();
      std::vector<std::string_view> args{"XACK", ack.key, ack.group};
      args.insert(args.end(), ack.ids.begin(), ack.ids.end());
      batch.add(ack.key, args);
      add_stream_entry(batch, ack.key);
    } else {
      add_stream_entry(batch, key);
    }
  }

  void add_stream_entry(KeyedCommands& batch, const std::string& key) {
    batch.add({"XADD", key, "MAXLEN", kStreamLength, "*", random_.member(), random_.value()});
  }

  void change_key(KeyedCommands& batch, Family family, std::size_t index, const std::string& key) {
    const std::size_t roll = random_.below(move_db_ >= 0 ? 100 : 92);
    if (roll < 12) {
      batch.add({"DEL", key});
    } else if (roll < 20) {
      batch.add({"UNLINK", key});
    } else if (roll < 32) {
      batch.add({"EXPIRE", key, kLongTtlSeconds});
    } else if (roll < 48) {
      const auto low = options_.short_ttl_min.count();
      const auto span = static_cast<std::size_t>(options_.short_ttl_max.count() - low + 1);
      batch.add(
          {"PEXPIRE", key, std::to_string(low + static_cast<long long>(random_.below(span)))});
    } else if (roll < 60) {
      batch.add({"PERSIST", key});
    } else if (roll < 70) {
      batch.add({"RENAME", key, partner_of(family, index)});
    } else if (roll < 80) {
      batch.add(key, {"COPY", key, partner_of(family, index), "REPLACE"});
    } else if (roll < 92) {
      batch.add({"DUMP", key});
      pending_destinations_.push_back(partner_of(family, index));
    } else {
      batch.add({"MOVE", key, std::to_string(move_db_)});
    }
  }

  void restore(KeyedCommands& batch) {
    const Restore restore = std::move(restores_.front());
    restores_.pop_front();
    const std::string_view ttl = random_.chance(0.3) ? kLongTtlMs : "0";
    batch.add({"RESTORE", restore.destination, ttl, restore.payload, "REPLACE"});
  }

  // DUMP replies come back in the order of the DUMPs, as their destinations were queued.
  void learn_dump(const std::vector<std::string_view>&, const Reply& reply) {
    if (pending_destinations_.empty()) return;
    std::string destination = std::move(pending_destinations_.front());
    pending_destinations_.pop_front();
    if (!reply.is_string() || restores_.size() >= kAwaitedRestores) return;  // gone meanwhile
    restores_.push_back({std::move(destination), reply.str});
  }

  // XREADGROUP GROUP g c COUNT n STREAMS key >: [[key, [[id, fields], ...]]] or nil.
  void learn_delivered(const std::vector<std::string_view>& args, const Reply& reply) {
    if (!reply.is_array() || acks_.size() >= kAwaitedAcks) return;
    for (const auto& stream : reply.elements) {
      if (stream.elements.size() < 2) continue;
      Ack ack{stream.elements[0].str, std::string(args.at(2)), {}};
      for (const auto& entry : stream.elements[1].elements)
        if (!entry.elements.empty()) ack.ids.push_back(entry.elements[0].str);
      if (!ack.ids.empty()) acks_.push_back(std::move(ack));
    }
  }

  LiveWriterOptions options_;
  Random random_;
  std::size_t tags_;  // hash tags; kKeysPerTag keys of each family share one
  int move_db_;
  std::deque<std::string> pending_destinations_;  // of DUMPs sent, not answered yet
  std::deque<Restore> restores_;
  std::deque<Ack> acks_;
};

// --- same key ---------------------------------------------------------------

// One key per type, rewritten options.rewrites_per_key times in a row; each
// step's commands depend on its number, so that only the writes applied in
// order give the source's final value and TTL. Stream entry IDs are explicit:
// two servers written with the same options hold the same data.
class SameKeyRewrites final : public CommandMix {
 public:
  explicit SameKeyRewrites(const LiveWriterOptions& options)
      : options_(options), random_(options.seed) {}

  void next(KeyedCommands& batch) override {
    const Family family = kTypes[type_];
    const std::string key =
        options_.prefix + "same:" + std::string(family_name(family)) + kBinarySuffix;
    rewrite(batch, family, key, step_);
    if (step_ % 13 == 5)
      batch.add({"PEXPIRE", key, std::to_string(3600000 + step_)});
    else if (step_ % 17 == 3)
      batch.add({"PERSIST", key});
    if (++step_ == options_.rewrites_per_key) {
      step_ = 0;
      ++type_;
    }
  }

  void observe(const KeyedCommands&, const std::vector<Reply>&) override {}

  bool done() const override { return type_ == kTypes.size(); }

 private:
  static constexpr std::array kTypes{Family::string, Family::hash, Family::list,
                                     Family::set,    Family::zset, Family::stream};

  void rewrite(KeyedCommands& batch, Family family, const std::string& key, std::size_t step) {
    const std::string n = std::to_string(step);
    switch (family) {
      case Family::string:
        if (step % 4 == 0)
          batch.add({"SET", key, random_.bytes(8) + n});
        else
          batch.add({"APPEND", key, "|" + n});
        return;
      case Family::hash:
        batch.add({"HSET", key, "last", n, "f" + std::to_string(step % 8), random_.bytes(4)});
        if (step % 3 == 0) batch.add({"HDEL", key, "f" + std::to_string((step + 4) % 8)});
        return;
      case Family::list:
        batch.add({"RPUSH", key, n});
        if (step % 5 == 0) batch.add({"LTRIM", key, "-40", "-1"});
        if (step % 7 == 0) batch.add({"LSET", key, "0", "first " + n});
        return;
      case Family::set:
        batch.add({"SADD", key, "m" + n});
        if (step >= 8) batch.add({"SREM", key, "m" + std::to_string(step - 8)});
        return;
      case Family::zset:
        batch.add({"ZADD", key, n, "m" + std::to_string(step % 16)});
        if (step % 3 == 0) batch.add({"ZINCRBY", key, "1", "m0"});
        return;
      case Family::stream:
        batch.add({"XADD", key, "MAXLEN", "50", std::to_string(step + 1) + "-1", "n", n});
        if (step == 1) batch.add(key, {"XGROUP", "CREATE", key, "readers", "0"});
        return;
      case Family::counter:
        return;  // not a type of its own: strings cover it
    }
  }

  LiveWriterOptions options_;
  Random random_;
  std::size_t type_ = 0;  // index into kTypes
  std::size_t step_ = 0;
};

}  // namespace

std::unique_ptr<CommandMix> make_command_mix(const LiveWriterOptions& options, bool cluster) {
  if (options.mode == LiveWriterMode::same_key) return std::make_unique<SameKeyRewrites>(options);
  return std::make_unique<MixedCommands>(options, cluster);
}

bool is_expected_error(std::string_view command, std::string_view error) {
  if (command == "RENAME" || command == "LSET")
    return error.starts_with("ERR no such key") || error.starts_with("ERR index out of range");
  if (command == "XGROUP") return error.starts_with("BUSYGROUP");
  if (command == "XREADGROUP") return error.starts_with("NOGROUP");
  return false;
}

}  // namespace riot::test
