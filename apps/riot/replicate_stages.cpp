#include "replicate_stages.hpp"

#include <utility>

namespace riot::app {

namespace {

using nlohmann::json;

// Only the options given: the schema's defaults stand for the others.
void add_tls_config(const TlsSide& tls, json& config) {
  if (tls.tls) config["tls"] = true;
  if (tls.insecure) config["insecure"] = true;
  if (tls.tls_verify) config["tls_verify"] = *tls.tls_verify;
  if (tls.cacert) config["cacert"] = *tls.cacert;
  if (tls.cert) config["cert"] = *tls.cert;
  if (tls.key) config["key"] = *tls.key;
  if (tls.key_password) config["key_password"] = tls.key_password->document_value();
}

}  // namespace

json connection_settings(const ConnectionSide& side, const ReplicateOptions& options) {
  json config{{"uri", side.uri},
              {"connect_timeout_ms", options.connect_timeout_ms},
              {"command_timeout_ms", options.command_timeout_ms}};
  if (side.user) config["user"] = *side.user;
  if (side.password) config["password"] = side.password->document_value();
  if (side.client_name) config["client_name"] = *side.client_name;
  if (side.cluster) config["cluster"] = true;
  add_tls_config(side.tls, config);
  add_sentinel_config(side.sentinel, config);
  return config;
}

json connection_config(const ConnectionSide& side, const ReplicateOptions& options) {
  json config = connection_settings(side, options);
  config["retries"] = options.retries;
  config["retry_delay_ms"] = options.retry_delay_ms;
  return config;
}

json filtered_scan_config(const ConnectionSide& side, const ReplicateOptions& options) {
  json config = connection_config(side, options);
  config["match"] = options.key_pattern;
  config["count"] = options.scan_count;
  if (options.key_type) config["type"] = *options.key_type;
  if (options.key_slots) config["key_slots"] = *options.key_slots;
  return config;
}

json source_scan_stage(const ReplicateOptions& options) {
  json config = filtered_scan_config(options.source, options);
  add_read_from(options, config);
  return {{"component", "source.scan"}, {"config", std::move(config)}};
}

void add_read_from(const ReplicateOptions& options, json& config) {
  if (options.read_from != ReplicateOptions{}.read_from) config["read_from"] = options.read_from;
}

json parallel_stage(const char* component, json config, std::int64_t threads,
                    std::int64_t batch_size, std::int64_t queue_capacity) {
  return {{"component", component},
          {"threads", threads},
          {"batch_size", batch_size},
          {"queue_capacity", queue_capacity},
          {"config", std::move(config)}};
}

}  // namespace riot::app
