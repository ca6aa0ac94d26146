#pragma once
// The pieces every document of `riot replicate` is made of. Each mode's
// builder (snapshot_document.hpp, live_document.hpp) only says how it
// arranges them, so an option reaches the same field whatever the mode.
//
//   every connection   <- the side's URI, --X-user, --X-pass, --X-client-name,
//                         --X-cluster, the TLS options, --connect-timeout,
//                         --timeout, --retry, --retry-delay
//   source.scan        <- --scan-count, --key-pattern, --key-type, --key-slots
//                         (and --read-from on the source)
//   reader, sink       <- by --type: value_stages.hpp

#include <cstdint>
#include <nlohmann/json.hpp>

#include "connection_side.hpp"
#include "replicate_options.hpp"

namespace riot::app {

// The connection settings of one side, as every component that connects
// takes them: connection_settings and the retry policy.
nlohmann::json connection_config(const ConnectionSide& side, const ReplicateOptions& options);

// The connection alone (URI, credentials, client name, cluster, TLS,
// timeouts): what a component takes for a second server, such as the
// comparator's "source".
nlohmann::json connection_settings(const ConnectionSide& side, const ReplicateOptions& options);

// A source.scan stage over the source with the key filters: the snapshot's
// scan, and in live mode both the initial scan and the reconciliation's pass
// over the source.
nlohmann::json source_scan_stage(const ReplicateOptions& options);

// The configuration of a source.scan over `side` with the key filters, the
// node to read from left out: a scan of the target sees the same keys a scan
// of the source would.
nlohmann::json filtered_scan_config(const ConnectionSide& side, const ReplicateOptions& options);

// Sets "read_from" when it is not the schema's default, `master`.
void add_read_from(const ReplicateOptions& options, nlohmann::json& config);

// A stage that runs `threads` workers of `component`.
nlohmann::json parallel_stage(const char* component, nlohmann::json config, std::int64_t threads,
                              std::int64_t batch_size, std::int64_t queue_capacity);

}  // namespace riot::app
