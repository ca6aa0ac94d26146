#include "support/sentinel_group.hpp"

#include <stdexcept>
#include <string_view>
#include <thread>

namespace riot::test {
namespace {

using Clock = std::chrono::steady_clock;

constexpr auto kSettleTimeout = std::chrono::seconds(60);
constexpr auto kPollInterval = std::chrono::milliseconds(50);

std::string field(const redis::Reply& entry, std::string_view name) {
  for (std::size_t i = 0; i + 1 < entry.elements.size(); i += 2)
    if (entry.elements[i].str == name) return entry.elements[i + 1].str;
  return {};
}

bool usable_replica(const redis::Reply& entry) {
  const std::string flags = field(entry, "flags");
  return flags.find("s_down") == std::string::npos && flags.find("o_down") == std::string::npos &&
         flags.find("disconnected") == std::string::npos &&
         field(entry, "master-link-status") == "ok";
}

}  // namespace

SentinelGroup::SentinelGroup(SentinelGroupOptions options) : options_(std::move(options)) {
  RedisServerOptions master_options;
  master_options.password = options_.password;
  master_options.config = options_.config;
  // A replica promoted later must be able to authenticate to the new master.
  if (!options_.password.empty())
    master_options.config.push_back("masterauth " + redis_config_string(options_.password));
  servers_.push_back(std::make_unique<RedisServer>(master_options));
  const std::string master_port = std::to_string(servers_.front()->port());
  for (std::size_t i = 0; i < options_.replicas; ++i) {
    RedisServerOptions replica = master_options;
    replica.config.push_back("replicaof 127.0.0.1 " + master_port);
    servers_.push_back(std::make_unique<RedisServer>(replica));
  }
  for (std::size_t i = 0; i < options_.sentinels; ++i) {
    RedisServerOptions sentinel;
    sentinel.sentinel = true;
    sentinel.password = options_.sentinel_password;
    const std::string& name = options_.master_name;
    sentinel.config = {"sentinel monitor " + name + " 127.0.0.1 " + master_port + " 1",
                       "sentinel down-after-milliseconds " + name + " 1000",
                       "sentinel failover-timeout " + name + " 5000",
                       "sentinel parallel-syncs " + name + " 4"};
    if (!options_.password.empty())
      sentinel.config.push_back("sentinel auth-pass " + name + " " +
                                redis_config_string(options_.password));
    if (!options_.sentinel_password.empty())
      sentinel.config.push_back("sentinel sentinel-pass " +
                                redis_config_string(options_.sentinel_password));
    sentinels_.push_back(std::make_unique<RedisServer>(sentinel));
  }
  wait_until_settled(*servers_.front(), options_.replicas);
}

SentinelGroup::~SentinelGroup() = default;

std::string SentinelGroup::uri(int db) const {
  redis::Uri uri;
  uri.password = options_.password;
  uri.db = db;
  for (const auto& sentinel : sentinels_) uri.sentinels.push_back({"127.0.0.1", sentinel->port()});
  uri.sentinel_master = options_.master_name;
  return uri.to_string(/*reveal_password=*/true);
}

std::vector<std::uint16_t> SentinelGroup::sentinel_ports() const {
  std::vector<std::uint16_t> ports;
  for (const auto& sentinel : sentinels_) ports.push_back(sentinel->port());
  return ports;
}

redis::Connection SentinelGroup::connect_sentinel(std::size_t index) const {
  return sentinels_.at(index)->connect();
}

std::string SentinelGroup::master_port_by_sentinel(std::size_t index) const {
  redis::Connection sentinel = connect_sentinel(index);
  const redis::Reply reply =
      sentinel.checked({"SENTINEL", "GET-MASTER-ADDR-BY-NAME", options_.master_name});
  if (!reply.is_array() || reply.elements.size() != 2) return {};
  return reply.elements[1].str;
}

RedisServer& SentinelGroup::master() {
  const std::string port = master_port_by_sentinel(0);
  for (const auto& server : servers_)
    if (std::to_string(server->port()) == port) return *server;
  throw std::runtime_error("the sentinels name port " + port + ", which is none of the group's");
}

std::vector<RedisServer*> SentinelGroup::replicas() {
  const RedisServer* current = &master();
  std::vector<RedisServer*> out;
  for (const auto& server : servers_)
    if (server.get() != current && server->pid() > 0) out.push_back(server.get());
  return out;
}

void SentinelGroup::wait_until_settled(const RedisServer& master, std::size_t replicas) {
  const std::string port = std::to_string(master.port());
  const auto deadline = Clock::now() + kSettleTimeout;
  std::string last = "nothing asked yet";
  while (Clock::now() < deadline) {
    try {
      bool settled = true;
      for (std::size_t i = 0; i < sentinels_.size() && settled; ++i) {
        const std::string named = master_port_by_sentinel(i);
        redis::Connection sentinel = connect_sentinel(i);
        const redis::Reply known = sentinel.checked({"SENTINEL", "REPLICAS", options_.master_name});
        std::size_t usable = 0;
        for (const redis::Reply& entry : known.elements) usable += usable_replica(entry) ? 1 : 0;
        if (named != port || usable < replicas) {
          last = "sentinel " + std::to_string(i) + " names port " + named + " with " +
                 std::to_string(usable) + " usable replicas";
          settled = false;
        }
      }
      redis::Connection server = master.connect();
      const redis::Reply role = server.checked({"ROLE"});
      const std::size_t online = role.elements.size() == 3 ? role.elements[2].elements.size() : 0;
      if (settled &&
          (role.elements.empty() || role.elements[0].str != "master" || online < replicas)) {
        last =
            "port " + port + " is not yet a master with " + std::to_string(replicas) + " replicas";
        settled = false;
      }
      if (settled) return;
    } catch (const std::exception& error) {
      last = error.what();
    }
    std::this_thread::sleep_for(kPollInterval);
  }
  throw std::runtime_error("the sentinel group did not settle on master port " + port +
                           " within 60 s (last: " + last + ")");
}

void SentinelGroup::failover() {
  RedisServer& old_master = master();
  connect_sentinel(0).checked({"SENTINEL", "FAILOVER", options_.master_name});
  const auto deadline = Clock::now() + kSettleTimeout;
  while (master_port_by_sentinel(0) == std::to_string(old_master.port())) {
    if (Clock::now() >= deadline)
      throw std::runtime_error("SENTINEL FAILOVER did not elect a new master within 60 s");
    std::this_thread::sleep_for(kPollInterval);
  }
  wait_until_settled(master(), servers_.size() - 1);
}

void SentinelGroup::kill_master() {
  RedisServer& old_master = master();
  const std::string old_port = std::to_string(old_master.port());
  old_master.stop();
  const auto deadline = Clock::now() + kSettleTimeout;
  for (;;) {
    std::string named;
    try {
      named = master_port_by_sentinel(0);
    } catch (const std::exception&) {
    }
    if (!named.empty() && named != old_port) break;
    if (Clock::now() >= deadline)
      throw std::runtime_error("no replica took over from the killed master within 60 s");
    std::this_thread::sleep_for(kPollInterval);
  }
  wait_until_settled(master(), servers_.size() - 2);
}

}  // namespace riot::test
