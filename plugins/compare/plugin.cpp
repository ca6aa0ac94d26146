// The "compare" plugin: registers comparator.redis and codec.digest.

#include "riot/plugin.hpp"

#include <memory>

#include "compare_options.hpp"
#include "digest_reader.hpp"
#include "redis_comparator.hpp"
#include "riot/redis/client.hpp"
#include "riot/redis/connection_options.hpp"
#include "riot/retry.hpp"

namespace riot::compare_plugin {
namespace {

nlohmann::json comparator_schema() {
  nlohmann::json properties = CompareOptions::schema_properties();
  nlohmann::json source;
  source["read_from"] = redis::ClientOptions::read_from_schema_property();
  properties["source"] = redis::ConnectionOptions::component_schema(std::move(source));
  properties["source"]["description"] =
      "The source's connection (uri required): a key found different is read from it again, "
      "by type, before it is reported.";
  properties.update(RetryOptions::schema_properties());
  return redis::ConnectionOptions::component_schema(std::move(properties));
}

struct ComparatorSettings {
  redis::ClientOptions target;
  redis::ClientOptions source;
  CompareOptions compare;
  RetryOptions retry;
};

// What `riot validate` checks and the factory uses: one parse for both.
ComparatorSettings parse_comparator(const nlohmann::json& config) {
  return {redis::ClientOptions::from_config(config, "target"),
          redis::ClientOptions::from_config(config.at("source"), "source"),
          CompareOptions::from_config(config), RetryOptions::from_config(config)};
}

std::unique_ptr<RedisComparator> create_comparator(ComparatorSettings settings, HostContext& host) {
  // Each worker has its own number: on a cluster, reads spread over
  // replicas, and only the first says in the log what the clients found.
  settings.target.spread = host.instance();
  settings.source.spread = host.instance();
  const bool first = host.instance() == 0;
  auto component =
      std::make_unique<RedisComparator>(std::move(settings.target), std::move(settings.source),
                                        settings.compare, settings.retry, host);
  log_client_mode(host.logger(), component->target(), first);
  log_client_mode(host.logger(), component->source(), first);
  host.report_endpoint(EndpointUse::read, component->target().identity());
  host.report_endpoint(EndpointUse::read, component->source().identity());
  return component;
}

nlohmann::json digest_schema() {
  nlohmann::json properties = DigestOptions::schema_properties();
  properties["read_from"] = redis::ClientOptions::read_from_schema_property();
  properties.update(RetryOptions::schema_properties());
  return redis::ConnectionOptions::component_schema(std::move(properties));
}

struct DigestSettings {
  redis::ClientOptions client;
  DigestOptions digest;
  RetryOptions retry;
};

DigestSettings parse_digest(const nlohmann::json& config) {
  return {redis::ClientOptions::from_config(config, "source"), DigestOptions::from_config(config),
          RetryOptions::from_config(config)};
}

std::unique_ptr<DigestReader> create_digest(DigestSettings settings, HostContext& host) {
  settings.client.spread = host.instance();
  const bool first = settings.client.spread == 0;
  auto component = std::make_unique<DigestReader>(std::move(settings.client), settings.digest,
                                                  settings.retry, host);
  log_client_mode(host.logger(), component->client(), first);
  host.report_endpoint(EndpointUse::read, component->client().identity());
  return component;
}

}  // namespace

const PluginDescriptor* describe() {
  static const PluginDescriptor descriptor{
      "compare",
      RIOT_PLUGIN_VERSION,
      {accepting(component_with_settings(
                     "comparator.redis",
                     "Compares the target with what a reader read from the source (DUMP bytes as "
                     "a fast path, values by type, big keys chunk by chunk, or sizes in a quick "
                     "comparison) and classifies each key: missing, extra, type, value, ttl.",
                     comparator_schema(), &parse_comparator, &create_comparator),
                 {RecordKind::dump, RecordKind::value, RecordKind::erase, RecordKind::digest}),
       producing(component_with_settings(
                     "codec.digest",
                     "Describes keys for a comparison: type, TTL and size (digest), or only "
                     "whether the source holds them (presence).",
                     digest_schema(), &parse_digest, &create_digest),
                 {RecordKind::digest, RecordKind::erase})}};
  return &descriptor;
}

}  // namespace riot::compare_plugin

RIOT_PLUGIN(riot::compare_plugin::describe)
