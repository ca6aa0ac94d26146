#include "riot/redis/client.hpp"

#include <spdlog/spdlog.h>

#include <stdexcept>
#include <utility>

#include "redis/cluster/cluster_client.hpp"
#include "riot/redis/connection.hpp"
#include "riot/redis/errors.hpp"

namespace riot::redis {
namespace {

// One server: the batch goes as it is, in one pipeline.
class StandaloneClient final : public Client {
 public:
  StandaloneClient(Connection connection, std::string how_found)
      : connection_(std::move(connection)), how_found_(std::move(how_found)) {}

  void pipeline(const KeyedCommands& commands, std::vector<Reply>& replies) override {
    connection_.pipeline(commands.commands(), replies);
  }
  bool is_cluster() const noexcept override { return false; }
  std::string describe() const override { return connection_.describe(); }
  std::string describe_mode() const override { return "a single server (" + how_found_ + ")"; }

 private:
  Connection connection_;
  std::string how_found_;
};

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

ClusterModeDecision decide_cluster_mode(Connection& seed, ClusterMode mode) {
  switch (mode) {
    case ClusterMode::standalone:
      return {false, "cluster mode off, as configured"};
    case ClusterMode::cluster:
      // INFO may be renamed away on a managed service: then the user's word
      // stands, and CLUSTER SLOTS will tell.
      if (cluster::reports_cluster_mode(seed) == false)
        throw ReplyError(seed.describe(),
                         "cluster mode was asked for, but the server is not a cluster (INFO "
                         "cluster reports cluster_enabled:0)");
      return {true, "cluster mode on, as configured"};
    case ClusterMode::detect:
      break;
  }
  return {cluster::reports_cluster_mode(seed).value_or(false), "detected from INFO cluster"};
}

std::unique_ptr<Client> Client::open(ClientOptions options) {
  Connection seed(options.connection);
  seed.connect();
  ClusterModeDecision mode = decide_cluster_mode(seed, options.cluster);
  if (!mode.cluster)
    return std::make_unique<StandaloneClient>(std::move(seed), std::move(mode.how_found));
  return std::make_unique<cluster::ClusterClient>(std::move(options), seed,
                                                  std::move(mode.how_found));
}

void log_client_mode(spdlog::logger& logger, std::string_view component, const Client& client,
                     bool prominent) {
  logger.log(prominent ? spdlog::level::info : spdlog::level::debug, "{}: {} is {}", component,
             client.describe(), client.describe_mode());
}

}  // namespace riot::redis
