#pragma once
#include <chrono>
#include <cstddef>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "riot/redis/uri.hpp"

namespace riot::redis {

struct ConnectionOptions {
  Uri uri;
  std::string role;                  // "source" / "target": prefixes error messages
  std::string client_name = "riot";  // CLIENT SETNAME; empty to skip
  // Zero or less: no timeout. connect_timeout bounds connecting and the
  // handshake together; command_timeout bounds every wait for the server.
  std::chrono::milliseconds connect_timeout{5000};
  std::chrono::milliseconds command_timeout{30000};
  std::size_t pipeline_window = 1000;  // commands in flight at most

  // "target 127.0.0.1:6380": what messages name.
  std::string describe() const;

  // The connection settings of a component's configuration. Every component
  // that connects embeds these properties in its schema (see
  // connection_schema_properties) so that pipelines spell them the same way:
  //   uri, user, password, client_name, connect_timeout_ms,
  //   command_timeout_ms, pipeline_window.
  // `user` and `password`, when present, override what the URI holds.
  static ConnectionOptions from_config(const nlohmann::json& config, std::string_view role);
  static nlohmann::json connection_schema_properties();

  // The whole configuration schema of a component that connects: an object
  // with the connection properties plus `own_properties`, `uri` required,
  // unknown keys refused.
  static nlohmann::json component_schema(nlohmann::json own_properties);
};

}  // namespace riot::redis
