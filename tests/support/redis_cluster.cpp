#include "support/redis_cluster.hpp"

#include <signal.h>

#include <algorithm>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <thread>
#include <utility>

#include "riot/redis/errors.hpp"
#include "support/process.hpp"

namespace riot::test {
namespace {

using Clock = std::chrono::steady_clock;
using redis::Connection;
using redis::Reply;

constexpr int kSlots = 16384;
constexpr int kNodeStartAttempts = 3;
constexpr auto kCreateTimeout = std::chrono::seconds(90);
constexpr auto kHealthyTimeout = std::chrono::seconds(60);
constexpr auto kPollInterval = std::chrono::milliseconds(50);
constexpr auto kFailoverAttempt = std::chrono::seconds(10);
constexpr auto kAdminConnectTimeout = std::chrono::milliseconds(2000);
constexpr auto kAdminCommandTimeout = std::chrono::milliseconds(5000);
constexpr auto kMigrateCommandTimeout = std::chrono::milliseconds(60000);
constexpr const char* kMigrateTimeoutMs = "30000";
constexpr const char* kKeysPerMigrate = "100";

std::vector<std::string_view> split(std::string_view text, char separator) {
  std::vector<std::string_view> pieces;
  while (true) {
    const auto at = text.find(separator);
    pieces.push_back(text.substr(0, at));
    if (at == std::string_view::npos) break;
    text.remove_prefix(at + 1);
  }
  return pieces;
}

std::string_view trim(std::string_view text) {
  while (!text.empty() && (text.back() == '\r' || text.back() == '\n' || text.back() == ' '))
    text.remove_suffix(1);
  return text;
}

// "name:value" lines of CLUSTER INFO / INFO.
std::string info_field(std::string_view info, std::string_view name) {
  for (const auto line : split(info, '\n')) {
    const auto text = trim(line);
    if (text.size() > name.size() && text.starts_with(name) && text[name.size()] == ':')
      return std::string(text.substr(name.size() + 1));
  }
  return "<absent>";
}

// One line of CLUSTER NODES: id, address, flags, master id, ping, pong,
// epoch, link state, slots...
struct NodeLine {
  std::string id;
  std::string flags;
  std::string master_id;
  std::string link_state;
};

std::vector<NodeLine> parse_cluster_nodes(std::string_view text) {
  std::vector<NodeLine> lines;
  for (const auto raw : split(text, '\n')) {
    const auto line = trim(raw);
    if (line.empty()) continue;
    const auto fields = split(line, ' ');
    if (fields.size() < 8)
      throw std::runtime_error("malformed CLUSTER NODES line: " + std::string(line));
    lines.push_back({std::string(fields[0]), std::string(fields[2]), std::string(fields[3]),
                     std::string(fields[7])});
  }
  return lines;
}

bool has_flag(const std::string& flags, std::string_view flag) {
  for (const auto piece : split(flags, ','))
    if (piece == flag) return true;
  return false;
}

bool is_failing(const std::string& flags) {
  return has_flag(flags, "fail") || has_flag(flags, "fail?") || has_flag(flags, "handshake") ||
         has_flag(flags, "noaddr");
}

}  // namespace

// Connections to every node, made on demand and kept; each thread that talks
// to the nodes has its own.
class RedisCluster::Admin {
 public:
  Admin(const RedisCluster& cluster, std::chrono::milliseconds command_timeout)
      : cluster_(cluster), command_timeout_(command_timeout) {}

  Connection& at(std::size_t index) {
    if (connections_.size() < cluster_.node_count()) connections_.resize(cluster_.node_count());
    auto& connection = connections_.at(index);
    if (!connection) {
      redis::ConnectionOptions options = cluster_.client_options(index);
      options.client_name = "riot-test-admin";
      options.connect_timeout = kAdminConnectTimeout;
      options.command_timeout = command_timeout_;
      connection = std::make_unique<Connection>(std::move(options));
    }
    return *connection;
  }

  void close(std::size_t index) {
    if (index < connections_.size() && connections_[index]) connections_[index]->close();
  }

 private:
  const RedisCluster& cluster_;
  std::chrono::milliseconds command_timeout_;
  std::vector<std::unique_ptr<Connection>> connections_;
};

RedisCluster::RedisCluster(RedisClusterOptions options) : options_(std::move(options)) {
  if (options_.masters < 3)
    throw std::invalid_argument(
        "RedisCluster: redis-cli --cluster create needs 3 masters at least");
  if (options_.replicas_per_master < 0)
    throw std::invalid_argument("RedisCluster: replicas_per_master < 0");
  const auto started = Clock::now();
  const auto count = static_cast<std::size_t>(options_.masters) *
                     (1 + static_cast<std::size_t>(options_.replicas_per_master));
  for (std::size_t i = 0; i < count; ++i) nodes_.push_back(start_node(i));
  admin_ = std::make_unique<Admin>(*this, kAdminCommandTimeout);
  create_cluster();
  for (std::size_t i = 0; i < count; ++i) {
    try {
      ids_.push_back(admin_->at(i).checked({"CLUSTER", "MYID"}).str);
    } catch (const std::exception& error) {
      throw std::runtime_error("RedisCluster: CLUSTER MYID on " + describe_node(i) +
                               " failed: " + error.what());
    }
  }
  try {
    wait_healthy(*admin_, Clock::now() + kHealthyTimeout, /*expect_replicas=*/true,
                 "the new cluster");
  } catch (const std::exception& error) {
    throw std::runtime_error(error.what() + log_tails());
  }
  startup_time_ = std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - started);
}

RedisCluster::~RedisCluster() = default;

std::unique_ptr<RedisServer> RedisCluster::start_node(std::size_t index) const {
  std::string last_error;
  for (int attempt = 1; attempt <= kNodeStartAttempts; ++attempt) {
    RedisServerOptions server;
    server.tls = options_.tls;
    // The bus port is chosen here: the default (port + 10000) may be out of
    // range or taken.
    server.config = {"cluster-enabled yes",
                     "cluster-config-file nodes.conf",  // in the node's own directory
                     "cluster-port " + std::to_string(free_port()),
                     "cluster-node-timeout " + std::to_string(options_.node_timeout.count()),
                     // A replica takes over whatever its replication lag.
                     "cluster-replica-validity-factor 0",
                     // The topology changes only when a test says so.
                     "cluster-allow-replica-migration no", "repl-diskless-sync-delay 0"};
    if (options_.tls) {
      server.config.push_back("tls-cluster yes");
      server.config.push_back("tls-replication yes");
      if (!options_.tls->client_cert_file.empty()) {
        server.config.push_back("tls-client-cert-file " +
                                redis_config_string(options_.tls->client_cert_file.string()));
        server.config.push_back("tls-client-key-file " +
                                redis_config_string(options_.tls->client_key_file.string()));
      }
    }
    server.config.insert(server.config.end(), options_.config.begin(), options_.config.end());
    try {
      return std::make_unique<RedisServer>(std::move(server));
    } catch (const std::exception& error) {
      last_error = error.what();  // most likely the bus port was taken meanwhile
    }
  }
  throw std::runtime_error("RedisCluster: node " + std::to_string(index) + " did not start (" +
                           std::to_string(kNodeStartAttempts) + " attempts): " + last_error);
}

void RedisCluster::create_cluster() {
  std::vector<std::string> argv{"redis-cli"};
  if (options_.tls) {
    argv.insert(argv.end(), {"--tls", "--cacert", options_.tls->ca_file.string()});
    if (!options_.tls->client_cert_file.empty())
      argv.insert(argv.end(), {"--cert", options_.tls->client_cert_file.string(), "--key",
                               options_.tls->client_key_file.string()});
  }
  argv.insert(argv.end(), {"--cluster", "create"});
  for (const auto& node : nodes_) argv.push_back("127.0.0.1:" + std::to_string(node->port()));
  argv.insert(argv.end(), {"--cluster-replicas", std::to_string(options_.replicas_per_master),
                           "--cluster-yes"});
  ProcessOptions process;
  process.timeout = kCreateTimeout;
  run_process_checked(argv, process, log_tails());
}

std::string RedisCluster::describe_node(std::size_t index) const {
  return "node " + std::to_string(index) +
         " (127.0.0.1:" + std::to_string(nodes_.at(index)->port()) + ")";
}

std::string RedisCluster::log_tails() const {
  std::string text;
  for (std::size_t i = 0; i < nodes_.size(); ++i)
    text += "\n--- redis.log of " + describe_node(i) + " ---\n" + nodes_[i]->log_tail();
  return text;
}

RedisServer& RedisCluster::node(std::size_t index) {
  return *nodes_.at(index);
}
const RedisServer& RedisCluster::node(std::size_t index) const {
  return *nodes_.at(index);
}
const std::string& RedisCluster::node_id(std::size_t index) const {
  return ids_.at(index);
}
bool RedisCluster::is_running(std::size_t index) const {
  return nodes_.at(index)->pid() > 0;
}

std::optional<std::size_t> RedisCluster::index_of_id(std::string_view id) const {
  for (std::size_t i = 0; i < ids_.size(); ++i)
    if (ids_[i] == id) return i;
  return std::nullopt;
}

redis::ConnectionOptions RedisCluster::client_options(std::size_t index) const {
  return nodes_.at(index)->client_options();
}

redis::Connection RedisCluster::connect(std::size_t index) const {
  return nodes_.at(index)->connect();
}

std::string RedisCluster::uri() const {
  for (std::size_t i = 0; i < nodes_.size(); ++i) {
    if (!is_running(i)) continue;
    try {
      redis::ConnectionOptions options = client_options(i);
      options.client_name.clear();
      options.connect_timeout = kAdminConnectTimeout;
      options.command_timeout = kAdminCommandTimeout;
      Connection connection(std::move(options));
      const Reply role = connection.command({"ROLE"});
      if (role.is_array() && !role.elements.empty() && role.elements[0].str == "master")
        return nodes_[i]->uri();
    } catch (const std::exception&) {
      // not answering: try the next one
    }
  }
  throw std::runtime_error("RedisCluster::uri: no running node answers as a master");
}

std::string RedisCluster::role(Admin& admin, std::size_t index) const {
  if (!is_running(index)) return "";
  try {
    const Reply reply = admin.at(index).command({"ROLE"});
    if (reply.is_array() && !reply.elements.empty()) return reply.elements[0].str;
  } catch (const std::exception&) {
    // not answering
  }
  return "";
}

std::vector<std::size_t> RedisCluster::master_indices() {
  std::vector<std::size_t> masters;
  for (std::size_t i = 0; i < nodes_.size(); ++i)
    if (role(*admin_, i) == "master") masters.push_back(i);
  return masters;
}

std::vector<std::size_t> RedisCluster::replica_indices() {
  std::vector<std::size_t> replicas;
  for (std::size_t i = 0; i < nodes_.size(); ++i)
    if (role(*admin_, i) == "slave") replicas.push_back(i);
  return replicas;
}

std::optional<std::size_t> RedisCluster::replica_of(std::size_t master_index) {
  const std::string& master_id = ids_.at(master_index);
  // Asked of the master itself when it runs, else of any running node.
  std::vector<std::size_t> askable;
  if (is_running(master_index)) askable.push_back(master_index);
  for (std::size_t i = 0; i < nodes_.size(); ++i)
    if (i != master_index && is_running(i)) askable.push_back(i);
  for (const std::size_t asked : askable) {
    Reply reply;
    try {
      reply = admin_->at(asked).command({"CLUSTER", "NODES"});
    } catch (const std::exception&) {
      continue;
    }
    if (reply.is_error()) continue;
    std::optional<std::size_t> best;
    for (const auto& line : parse_cluster_nodes(reply.str)) {
      if (line.master_id != master_id || !has_flag(line.flags, "slave") || is_failing(line.flags))
        continue;
      const auto index = index_of_id(line.id);
      if (index && is_running(*index) && (!best || *index < *best)) best = index;
    }
    return best;
  }
  return std::nullopt;
}

std::vector<int> RedisCluster::slots_of(std::size_t master_index) {
  const Reply slots = admin_->at(master_index).checked({"CLUSTER", "SLOTS"});
  std::vector<int> owned;
  for (const auto& range : slots.elements) {
    if (range.elements.at(2).elements.at(2).str != ids_.at(master_index)) continue;
    for (auto slot = range.elements.at(0).integer; slot <= range.elements.at(1).integer; ++slot)
      owned.push_back(static_cast<int>(slot));
  }
  std::sort(owned.begin(), owned.end());
  return owned;
}

void RedisCluster::flushall() {
  for (const std::size_t master : master_indices()) admin_->at(master).checked({"FLUSHALL"});
}

std::string RedisCluster::health_problem(Admin& admin, bool expect_replicas) const {
  std::vector<std::size_t> running;
  for (std::size_t i = 0; i < nodes_.size(); ++i)
    if (is_running(i)) running.push_back(i);
  if (running.empty()) return "no node is running";

  // What every running node says of itself and of the others.
  std::vector<std::vector<NodeLine>> views(nodes_.size());
  std::string reference_map;
  std::size_t reference_node = 0;
  for (const std::size_t i : running) {
    const std::string name = describe_node(i);
    try {
      Connection& connection = admin.at(i);
      const Reply info = connection.command({"CLUSTER", "INFO"});
      if (info.is_error()) return name + ": CLUSTER INFO: " + info.str;
      for (const auto& [field, expected] :
           {std::pair<std::string, std::string>{"cluster_state", "ok"},
            {"cluster_slots_assigned", std::to_string(kSlots)},
            {"cluster_slots_ok", std::to_string(kSlots)},
            {"cluster_known_nodes", std::to_string(nodes_.size())}}) {
        const std::string actual = info_field(info.str, field);
        if (actual != expected)
          return name + ": " + field + ":" + actual + " (want " + expected + ")";
      }

      const Reply nodes = connection.command({"CLUSTER", "NODES"});
      if (nodes.is_error()) return name + ": CLUSTER NODES: " + nodes.str;
      views[i] = parse_cluster_nodes(nodes.str);

      // The slot map's masters, in a form that compares across nodes.
      // (Replicas are compared through CLUSTER NODES: CLUSTER SLOTS leaves
      // out a replica that has not replicated anything yet.)
      const Reply slots = connection.command({"CLUSTER", "SLOTS"});
      if (slots.is_error()) return name + ": CLUSTER SLOTS: " + slots.str;
      std::vector<std::string> ranges;
      std::int64_t covered = 0;
      for (const auto& range : slots.elements) {
        const auto start = range.elements.at(0).integer;
        const auto end = range.elements.at(1).integer;
        covered += end - start + 1;
        const std::string& owner = range.elements.at(2).elements.at(2).str;
        const auto owner_index = index_of_id(owner);
        if (!owner_index || !is_running(*owner_index))
          return name + ": slots " + std::to_string(start) + "-" + std::to_string(end) +
                 " are served by " + (owner_index ? describe_node(*owner_index) : owner) +
                 ", which is not running";
        ranges.push_back(std::to_string(start) + "-" + std::to_string(end) + " " + owner);
      }
      if (covered != kSlots)
        return name + ": CLUSTER SLOTS covers " + std::to_string(covered) + " slots";
      std::sort(ranges.begin(), ranges.end());
      std::string map;
      for (const auto& range : ranges) map += range + "\n";
      if (reference_map.empty()) {
        reference_map = std::move(map);
        reference_node = i;
      } else if (map != reference_map) {
        return name + " and " + describe_node(reference_node) + " disagree on the slot map";
      }

      const Reply role = connection.command({"ROLE"});
      if (!role.is_array() || role.elements.empty()) return name + ": ROLE: " + role.str;
      if (role.elements[0].str == "slave") {
        const std::string& state = role.elements.at(3).str;
        if (state != "connected") return "replica " + name + ": link to its master is " + state;
      }
    } catch (const std::exception& error) {
      admin.close(i);
      return name + ": " + error.what();
    }
  }

  // Every node's view of every running node agrees with what that node says
  // of itself: role, master, no failure flag, a connected link.
  std::vector<std::size_t> replica_count(nodes_.size(), 0);
  for (const std::size_t j : running) {
    const auto& own = views[j];
    const auto self = std::find_if(own.begin(), own.end(),
                                   [](const NodeLine& l) { return has_flag(l.flags, "myself"); });
    if (self == own.end()) return describe_node(j) + ": CLUSTER NODES has no myself line";
    const bool replica = has_flag(self->flags, "slave");
    if (replica) {
      const auto master = index_of_id(self->master_id);
      if (!master || !is_running(*master))
        return "replica " + describe_node(j) + " follows a node that is not running";
      ++replica_count[*master];
    }
    for (const std::size_t i : running) {
      if (i == j) continue;
      const auto& view = views[i];
      const auto line = std::find_if(view.begin(), view.end(),
                                     [&](const NodeLine& l) { return l.id == ids_.at(j); });
      const std::string who = describe_node(i);
      if (line == view.end()) return who + " does not know " + describe_node(j);
      if (is_failing(line->flags)) return who + " sees " + describe_node(j) + " as " + line->flags;
      if (line->link_state != "connected") return who + " has no link to " + describe_node(j);
      if (has_flag(line->flags, "slave") != replica ||
          (replica && line->master_id != self->master_id))
        return who + " does not know yet that " + describe_node(j) + " is " +
               (replica ? "a replica of " + self->master_id : std::string("a master"));
    }
  }
  if (expect_replicas) {
    for (const std::size_t j : running) {
      const auto& own = views[j];
      const auto self = std::find_if(own.begin(), own.end(),
                                     [](const NodeLine& l) { return has_flag(l.flags, "myself"); });
      if (has_flag(self->flags, "master") &&
          replica_count[j] != static_cast<std::size_t>(options_.replicas_per_master))
        return "master " + describe_node(j) + " has " + std::to_string(replica_count[j]) + " of " +
               std::to_string(options_.replicas_per_master) + " replicas";
    }
  }
  return "";
}

void RedisCluster::wait_healthy(Admin& admin, Clock::time_point deadline, bool expect_replicas,
                                const std::string& what) const {
  const auto started = Clock::now();
  std::string problem;
  while (true) {
    problem = health_problem(admin, expect_replicas);
    if (problem.empty()) return;
    if (Clock::now() >= deadline) break;
    std::this_thread::sleep_for(kPollInterval);
  }
  const auto waited = std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - started);
  throw std::runtime_error("RedisCluster: " + what + " did not become healthy within " +
                           std::to_string(waited.count()) + " ms; last problem: " + problem);
}

void RedisCluster::wait_until_healthy(std::chrono::seconds timeout) {
  wait_healthy(*admin_, Clock::now() + timeout, /*expect_replicas=*/false, "the cluster");
}

void RedisCluster::failover(std::size_t master_index, std::chrono::seconds timeout) {
  const auto deadline = Clock::now() + timeout;
  if (!is_running(master_index))
    throw std::invalid_argument("RedisCluster::failover: " + describe_node(master_index) +
                                " is not running");
  if (role(*admin_, master_index) != "master")
    throw std::invalid_argument("RedisCluster::failover: " + describe_node(master_index) +
                                " is not a master");
  const auto replica = replica_of(master_index);
  if (!replica)
    throw std::invalid_argument("RedisCluster::failover: " + describe_node(master_index) +
                                " has no running replica");
  std::string last;
  while (true) {
    // A manual failover that does not complete within its own timeout (5 s,
    // easily missed on a loaded machine) is dropped: ask again.
    const Reply reply = admin_->at(*replica).command({"CLUSTER", "FAILOVER"});
    if (reply.is_error()) last = reply.str;
    const auto attempt_deadline = std::min(deadline, Clock::now() + kFailoverAttempt);
    bool switched = false;
    while (Clock::now() < attempt_deadline) {
      if (role(*admin_, *replica) == "master" && role(*admin_, master_index) == "slave") {
        switched = true;
        break;
      }
      std::this_thread::sleep_for(kPollInterval);
    }
    if (switched) break;
    if (Clock::now() >= deadline)
      throw std::runtime_error("RedisCluster::failover: " + describe_node(*replica) +
                               " did not take over from " + describe_node(master_index) +
                               " within " + std::to_string(timeout.count()) + " s" +
                               (last.empty() ? "" : " (last error: " + last + ")"));
  }
  wait_healthy(*admin_, deadline, /*expect_replicas=*/false,
               "the cluster after the failover of " + describe_node(master_index));
}

void RedisCluster::kill_node(std::size_t index) {
  RedisServer& server = *nodes_.at(index);
  const pid_t pid = server.pid();
  if (pid <= 0) return;
  ::kill(pid, SIGKILL);
  // SIGKILL takes effect first; stop() then only reaps the process.
  server.stop();
  admin_->close(index);
}

void RedisCluster::restart_node(std::size_t index) {
  admin_->close(index);
  nodes_.at(index)->start();
}

void RedisCluster::move_slots(std::size_t from_master, std::size_t to_master, int slot_count,
                              std::chrono::milliseconds pause_between_slots) {
  if (from_master == to_master)
    throw std::invalid_argument("RedisCluster::move_slots: source and target are the same node");
  Admin admin(*this, kMigrateCommandTimeout);
  std::vector<std::size_t> masters;
  for (std::size_t i = 0; i < nodes_.size(); ++i)
    if (role(admin, i) == "master") masters.push_back(i);
  for (const std::size_t node : {from_master, to_master})
    if (std::find(masters.begin(), masters.end(), node) == masters.end())
      throw std::invalid_argument("RedisCluster::move_slots: " + describe_node(node) +
                                  " is not a running master");

  std::vector<int> owned;
  {
    const Reply slots = admin.at(from_master).checked({"CLUSTER", "SLOTS"});
    for (const auto& range : slots.elements) {
      if (range.elements.at(2).elements.at(2).str != ids_.at(from_master)) continue;
      for (auto slot = range.elements.at(0).integer; slot <= range.elements.at(1).integer; ++slot)
        owned.push_back(static_cast<int>(slot));
    }
    std::sort(owned.begin(), owned.end());
  }
  if (slot_count < 0 || owned.size() < static_cast<std::size_t>(slot_count))
    throw std::invalid_argument("RedisCluster::move_slots: " + describe_node(from_master) +
                                " serves " + std::to_string(owned.size()) + " slots, not " +
                                std::to_string(slot_count));

  Connection& source = admin.at(from_master);
  Connection& target = admin.at(to_master);
  const std::string& source_id = ids_.at(from_master);
  const std::string& target_id = ids_.at(to_master);
  const std::string target_port = std::to_string(nodes_.at(to_master)->port());
  auto fail = [&](int slot, const std::string& step, const std::string& error) {
    return std::runtime_error("RedisCluster::move_slots: slot " + std::to_string(slot) + " from " +
                              describe_node(from_master) + " to " + describe_node(to_master) +
                              ": " + step + ": " + error);
  };
  auto run = [&](Connection& connection, int slot, const std::string& step,
                 std::initializer_list<std::string_view> args) {
    const Reply reply = connection.command(args);
    if (reply.is_error()) throw fail(slot, step, reply.str);
    return reply;
  };

  for (int n = 0; n < slot_count; ++n) {
    const int slot = owned[static_cast<std::size_t>(n)];
    const std::string slot_text = std::to_string(slot);
    run(target, slot, "SETSLOT IMPORTING",
        {"CLUSTER", "SETSLOT", slot_text, "IMPORTING", source_id});
    run(source, slot, "SETSLOT MIGRATING",
        {"CLUSTER", "SETSLOT", slot_text, "MIGRATING", target_id});
    // Until the slot is empty on the source: a writer may still update a key
    // the source holds while the slot migrates (new keys go to the target).
    auto migrate_keys = [&] {
      while (true) {
        const Reply keys = run(source, slot, "GETKEYSINSLOT",
                               {"CLUSTER", "GETKEYSINSLOT", slot_text, kKeysPerMigrate});
        if (keys.elements.empty()) return;
        std::vector<std::string_view> migrate{"MIGRATE", "127.0.0.1",       target_port, "",
                                              "0",       kMigrateTimeoutMs, "KEYS"};
        for (const auto& key : keys.elements) migrate.push_back(key.str);
        const Reply reply = source.command(migrate);
        if (reply.is_error()) throw fail(slot, "MIGRATE", reply.str);  // OK or NOKEY otherwise
      }
    };
    migrate_keys();
    // The slot stays half-moved for a while: its keys are on the target, and
    // a client that asks the source is sent there with ASK.
    if (pause_between_slots.count() > 0) std::this_thread::sleep_for(pause_between_slots);
    for (int attempt = 1;; ++attempt) {
      migrate_keys();
      run(target, slot, "SETSLOT NODE on the target",
          {"CLUSTER", "SETSLOT", slot_text, "NODE", target_id});
      const Reply assigned = source.command({"CLUSTER", "SETSLOT", slot_text, "NODE", target_id});
      if (!assigned.is_error()) break;
      // The source still held a key: migrate what is left and assign again.
      if (attempt == 5) throw fail(slot, "SETSLOT NODE on the source", assigned.str);
    }
    for (const std::size_t other : masters) {
      if (other == from_master || other == to_master) continue;
      run(admin.at(other), slot, "SETSLOT NODE on " + describe_node(other),
          {"CLUSTER", "SETSLOT", slot_text, "NODE", target_id});
    }
  }
  wait_healthy(admin, Clock::now() + kHealthyTimeout, /*expect_replicas=*/false,
               "the cluster after moving " + std::to_string(slot_count) + " slots");
}

}  // namespace riot::test
