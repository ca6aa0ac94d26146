#include "riot/redis/client.hpp"

#include <spdlog/spdlog.h>

#include <stdexcept>
#include <utility>

#include "redis/cluster/cluster_client.hpp"
#include "riot/redis/connection.hpp"
#include "riot/redis/errors.hpp"
#include "riot/redis/server_identity.hpp"

namespace riot::redis {
namespace {

// How the user says that a side is a cluster: "--source-cluster / "cluster":
// true" for the launcher's sides, the pipeline setting for others.
std::string cluster_setting(const ConnectionOptions& options) {
  const std::string setting = "\"cluster\": true";
  if (options.role.empty()) return setting;
  return "--" + options.role + "-cluster / " + setting;
}

// One server: the batch goes as it is, in one pipeline.
class StandaloneClient final : public Client {
 public:
  StandaloneClient(Connection connection, std::string how_found)
      : connection_(std::move(connection)),
        how_found_(std::move(how_found)),
        identity_(identify_server(connection_)) {}

  void pipeline(const KeyedCommands& commands, std::vector<Reply>& replies) override {
    const std::size_t first = replies.size();
    connection_.pipeline(commands.commands(), replies);
    for (std::size_t i = first; i < replies.size(); ++i) {
      if (!replies[i].is_error() || !cluster::is_cluster_reply(replies[i].str)) continue;
      // Retrying cannot help and counting the key as failed would hide that
      // the whole run reads or writes one node of a cluster.
      const std::string reply = std::move(replies[i].str);
      replies.resize(first);
      throw ClusterMemberError(connection_.describe() + ": the server answered \"" + reply +
                               "\": it is a member of a Redis Cluster, not a single server (" +
                               how_found_ + "); use " + cluster_setting(connection_.options()));
    }
  }
  bool is_cluster() const noexcept override { return false; }
  std::string describe() const override { return connection_.describe(); }
  std::string describe_mode() const override {
    return "a single server (" + how_found_ + ")" +
           describe_name_refusal(connection_.client_name_refusal());
  }
  const EndpointIdentity& identity() const noexcept override { return identity_; }

 private:
  Connection connection_;
  std::string how_found_;
  EndpointIdentity identity_;
};

// Sentinels watch single servers: the client is a standalone one whose
// connection asks them at every (re)connect.
std::unique_ptr<Client> open_through_sentinels(ClientOptions options) {
  ConnectionOptions& connection = options.connection;
  if (options.cluster == ClusterMode::cluster)
    throw std::invalid_argument(
        connection.describe() +
        ": cluster mode was asked for, but Redis Sentinel watches single servers");
  connection.sentinel.read_from = options.read_from;
  connection.sentinel.spread = options.spread;
  Connection server(connection);
  server.connect();
  return std::make_unique<StandaloneClient>(
      std::move(server),
      "the " +
          std::string(options.read_from == cluster::ReadFrom::master ? "master"
                                                                     : "node to read from") +
          " the sentinels name, followed through failovers");
}

[[noreturn]] void fail(std::string_view role, std::string_view key, const std::string& problem) {
  throw std::invalid_argument((role.empty() ? std::string() : std::string(role) + " ") +
                              "connection setting '" + std::string(key) + "': " + problem);
}

}  // namespace

ClientOptions ClientOptions::from_config(const nlohmann::json& config, std::string_view role) {
  ClientOptions options;
  options.connection = ConnectionOptions::from_config(config, role);
  if (const auto cluster = config.find("cluster"); cluster != config.end() && !cluster->is_null()) {
    if (!cluster->is_boolean())
      fail(role, "cluster", "must be true or false, not " + std::string(cluster->type_name()));
    options.cluster = cluster->get<bool>() ? ClusterMode::cluster : ClusterMode::standalone;
  }
  if (const auto read_from = config.find("read_from");
      read_from != config.end() && !read_from->is_null()) {
    const auto parsed = read_from->is_string()
                            ? cluster::parse_read_from(read_from->get<std::string>())
                            : std::nullopt;
    if (!parsed)
      fail(role, "read_from",
           "must be master, replica, replica-preferred or any, not " + read_from->dump());
    options.read_from = *parsed;
  }
  // A connection through sentinels picks its server at each connect.
  options.connection.sentinel.read_from = options.read_from;
  return options;
}

nlohmann::json ClientOptions::read_from_schema_property() {
  return {{"type", "string"},
          {"enum", {"master", "replica", "replica-preferred", "any"}},
          {"default", "master"},
          {"description",
           "on a cluster, the node of each shard that serves reads: its master, a replica "
           "(which must exist), a replica when there is one, or any of them"}};
}

ClusterModeDecision decide_cluster_mode(Connection& seed, ClusterMode mode,
                                        const cluster::KeyProbe& probe) {
  switch (mode) {
    case ClusterMode::standalone: {
      // The user's word stands unless the server says otherwise: scanning one
      // node of a cluster would copy its keys only.
      const cluster::Membership membership = cluster::find_membership(seed, &probe);
      if (membership.member == true)
        throw ClusterMemberError(seed.describe() +
                                 ": \"cluster\": false was configured, but the server is a member "
                                 "of a Redis Cluster (" +
                                 membership.how + "); use " + cluster_setting(seed.options()));
      return {false, "cluster mode off, as configured"};
    }
    case ClusterMode::cluster: {
      // Where nothing tells, the user's word stands, and CLUSTER SLOTS will.
      const cluster::Membership membership = cluster::find_membership(seed, nullptr);
      if (membership.member == false)
        throw ReplyError(
            seed.describe(),
            "cluster mode was asked for, but the server is not a cluster (" + membership.how + ")");
      return {true, "cluster mode on, as configured"};
    }
    case ClusterMode::detect:
      break;
  }
  cluster::Membership membership = cluster::find_membership(seed, &probe);
  if (!membership.member)
    throw ReplyError(
        seed.describe(),
        "cannot tell whether the server is a member of a Redis Cluster: " + membership.how +
            "; allow the user INFO or CLUSTER INFO, or say it: " + cluster_setting(seed.options()) +
            " for a cluster, \"cluster\": false for a single server");
  return {*membership.member, std::move(membership.how)};
}

std::unique_ptr<Client> Client::open(ClientOptions options) {
  if (options.connection.uri.is_sentinel()) return open_through_sentinels(std::move(options));
  Connection seed(options.connection);
  seed.connect();
  ClusterModeDecision mode = decide_cluster_mode(seed, options.cluster, options.probe);
  if (!mode.cluster)
    return std::make_unique<StandaloneClient>(std::move(seed), std::move(mode.how_found));
  return std::make_unique<cluster::ClusterClient>(std::move(options), seed,
                                                  std::move(mode.how_found));
}

std::string describe_name_refusal(const std::string& refusal) {
  if (refusal.empty()) return {};
  return "; its connections are unnamed in CLIENT LIST (CLIENT SETNAME refused: " + refusal + ")";
}

void log_client_mode(spdlog::logger& logger, const Client& client, bool prominent) {
  logger.log(prominent ? spdlog::level::info : spdlog::level::debug, "{} is {}", client.describe(),
             client.describe_mode());
}

}  // namespace riot::redis
