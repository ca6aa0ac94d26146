// The "struct" plugin: registers codec.struct, sink.struct and the datatypes
// of the core Redis types (string, hash, list, set, zset).

#include "riot/plugin.hpp"

#include <memory>

#include "hash_datatype.hpp"
#include "list_datatype.hpp"
#include "riot/redis/client.hpp"
#include "riot/redis/connection_options.hpp"
#include "riot/retry.hpp"
#include "set_datatype.hpp"
#include "string_datatype.hpp"
#include "struct_reader.hpp"
#include "struct_sink.hpp"
#include "zset_datatype.hpp"

namespace riot::struct_plugin {
namespace {

nlohmann::json reader_schema() {
  nlohmann::json properties;
  properties["erase_missing"] = {
      {"type", "boolean"},
      {"default", false},
      {"description",
       "A key the source no longer holds becomes a delete on the target (live replication: "
       "deletes, expiries, evictions, renames), rather than a skipped key."}};
  properties["type"] = {{"type", "string"},
                        {"minLength", 1},
                        {"description",
                         "Only keys of this type (as TYPE answers it): others are skipped, or "
                         "erased with erase_missing."}};
  properties["chunk_above_bytes"] = {
      {"type", "integer"},
      {"minimum", 0},
      {"default", values::kDefaultChunkAboveBytes},
      {"description",
       "A key whose MEMORY USAGE exceeds this many bytes is read and written in chunks of about "
       "chunk_bytes (a big key never held whole); 0: every key is read whole and MEMORY USAGE "
       "is not sent."}};
  properties["memory_samples"] = {
      {"type", "integer"},
      {"minimum", 0},
      {"default", values::kDefaultMemorySamples},
      {"description",
       "MEMORY USAGE ... SAMPLES n: nested values sampled per collection (0: all of them, exact "
       "and slow)."}};
  properties["chunk_bytes"] = {
      {"type", "integer"},
      {"minimum", 1},
      {"default", values::kDefaultChunkBytes},
      {"description", "About how many bytes of a big key each chunk holds."}};
  properties["read_from"] = redis::ClientOptions::read_from_schema_property();
  properties.update(RetryOptions::schema_properties());
  return redis::ConnectionOptions::component_schema(std::move(properties));
}

nlohmann::json sink_schema() {
  nlohmann::json properties;
  properties["merge"] = {
      {"type", "string"},
      {"enum", {"overwrite", "merge"}},
      {"default", "overwrite"},
      {"description",
       "overwrite: the target key becomes the source's value, atomically (a big key is built in "
       "a staging key and renamed over it); merge: fields, members and elements are added to "
       "what the target key holds."}};
  properties["stream_ids"] = {
      {"type", "string"},
      {"enum", {"propagate", "drop"}},
      {"default", "propagate"},
      {"description",
       "propagate: stream entries keep the source's ids; drop: the target assigns new ones."}};
  properties["replace"] = {
      {"type", "boolean"},
      {"default", true},
      {"description",
       "Overwrite keys the target already holds. When false, such a key is left as it is and "
       "counted as left alone, not as a failure (overwrite only: merge always adds)."}};
  properties.update(RetryOptions::schema_properties());
  return redis::ConnectionOptions::component_schema(std::move(properties));
}

nlohmann::json datatype_schema() {
  return {{"type", "object"},
          {"properties", nlohmann::json::object()},
          {"additionalProperties", false}};
}

struct ReaderSettings {
  redis::ClientOptions client;
  values::ValueReadOptions read;
  RetryOptions retry;
};

ReaderSettings parse_reader(const nlohmann::json& config) {
  return {redis::ClientOptions::from_config(config, "source"), read_options_from_config(config),
          RetryOptions::from_config(config)};
}

std::unique_ptr<StructReader> create_reader(ReaderSettings settings, HostContext& host) {
  // Each worker has its own number: on a cluster, workers reading from
  // replicas spread over them, and only the first says what the client found.
  settings.client.spread = host.instance();
  const bool first = settings.client.spread == 0;
  auto component = std::make_unique<StructReader>(std::move(settings.client),
                                                  std::move(settings.read), settings.retry, host);
  log_client_mode(host.logger(), component->client(), first);
  host.report_endpoint(EndpointUse::read, component->client().identity());
  return component;
}

struct SinkSettings {
  redis::ClientOptions client;
  StructSinkOptions sink;
  RetryOptions retry;
};

SinkSettings parse_sink(const nlohmann::json& config) {
  return {redis::ClientOptions::from_config(config, "target"),
          StructSinkOptions::from_config(config), RetryOptions::from_config(config)};
}

std::unique_ptr<StructSink> create_sink(SinkSettings settings, HostContext& host) {
  settings.client.spread = host.instance();
  const bool first = settings.client.spread == 0;
  auto component =
      std::make_unique<StructSink>(std::move(settings.client), settings.sink, settings.retry, host);
  log_client_mode(host.logger(), component->client(), first);
  host.report_endpoint(EndpointUse::write, component->client().identity());
  return component;
}

// A datatype takes no settings.
bool no_settings(const nlohmann::json& config) {
  (void)config;
  return true;
}

template <typename Type>
ComponentInfo datatype_component(std::string_view description) {
  return component_with_settings(datatype_component_name(Type().type_name()),
                                 std::string(description), datatype_schema(), &no_settings,
                                 [](bool, HostContext&) { return std::make_unique<Type>(); });
}

ComponentInfo reader_component() {
  ComponentInfo info = component_with_settings(
      "codec.struct",
      "Reads each key as a structured value through the datatype of its type (HGETALL, "
      "LRANGE...; a big key in chunks), with its time to live.",
      reader_schema(), &parse_reader, &create_reader);
  info.produces = {RecordKind::value, RecordKind::erase};
  return info;
}

ComponentInfo sink_component() {
  ComponentInfo info = component_with_settings(
      "sink.struct",
      "Writes value records through the datatype of their type (overwrite atomically, or merge) "
      "and deletes erased keys with DEL.",
      sink_schema(), &parse_sink, &create_sink);
  info.accepts = {RecordKind::value, RecordKind::erase};
  return info;
}

}  // namespace

const PluginDescriptor* describe() {
  static const PluginDescriptor descriptor{
      "struct",
      RIOT_PLUGIN_VERSION,
      {reader_component(), sink_component(),
       datatype_component<StringDatatype>("Strings: GET/SET, GETRANGE/APPEND in chunks."),
       datatype_component<HashDatatype>("Hashes: HGETALL/HSET, HSCAN in chunks."),
       datatype_component<ListDatatype>("Lists: LRANGE/RPUSH, index ranges in chunks."),
       datatype_component<SetDatatype>("Sets: SMEMBERS/SADD, SSCAN in chunks."),
       datatype_component<ZsetDatatype>(
           "Sorted sets: ZRANGE WITHSCORES/ZADD, index ranges in chunks.")}};
  return &descriptor;
}

}  // namespace riot::struct_plugin

RIOT_PLUGIN(riot::struct_plugin::describe)
