#pragma once
// `riot replicate`'s options and their one-to-one mapping onto a pipeline
// document. Kept apart from running anything so that the mapping can be
// tested on its own.
//
//   source.scan   <- SOURCE, --scan-count, --key-pattern, --key-type, --key-slots,
//                    --read-from
//   codec.dump    <- SOURCE, --read-threads, --read-batch, --read-queue, --read-from
//   sink.restore  <- TARGET, --write-threads, --write-batch, --write-queue, --no-replace
//   (sink.null with --dry-run)
//   every connection <- --source-*/--target-* credentials, client names,
//                       cluster switches and TLS options, --connect-timeout,
//                       --timeout
//   scan, dump and restore <- --retry, --retry-delay (the retry policy)

#include <cstddef>
#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "cli_options.hpp"
#include "riot/host/pipeline_spec.hpp"
#include "riot/redis/connection_options.hpp"
#include "riot/retry.hpp"

namespace riot::app {

// One side's TLS options (--source-tls, --target-cacert, ...). Only those
// given reach the document; the rest keep the connection schema's defaults.
struct TlsSide {
  bool tls = false;                         // --X-tls (a rediss:// URI needs none)
  bool insecure = false;                    // --X-insecure
  std::optional<std::string> tls_verify;    // --X-tls-verify full|ca|none (lower case)
  std::optional<std::string> cacert;        // --X-cacert
  std::optional<std::string> cert;          // --X-cert
  std::optional<std::string> key;           // --X-key
  std::optional<std::string> key_password;  // --X-key-pwd
};

// One side of the replication: its URI and what overrides the URI's parts.
struct ConnectionSide {
  std::string uri;
  std::optional<std::string> user;
  std::optional<std::string> password;
  std::optional<std::string> client_name;
  bool cluster = false;  // --X-cluster; without it the server is asked (INFO cluster)
  TlsSide tls;
};

// Every member's initial value is the option's default (and what --help
// shows).
struct ReplicateOptions {
  ConnectionSide source;
  ConnectionSide target;
  std::string mode = "scan";
  std::string type = "dump";
  std::int64_t scan_count = 1000;
  std::string key_pattern = "*";
  std::optional<std::string> key_type;   // every type
  std::optional<std::string> key_slots;  // canonical ranges ("0:5460,10923:16383"); every slot
  std::string read_from = "master";      // canonical name (redis::cluster::to_string)
  // The stages' defaults are the pipeline document's, the timeouts the
  // Redis client's: a replicate run and a minimal document behave alike.
  std::int64_t read_threads = host::kDefaultStageThreads;
  std::int64_t read_batch = host::kDefaultBatchSize;
  std::int64_t read_queue = host::kDefaultQueueCapacity;
  std::int64_t write_threads = host::kDefaultStageThreads;
  std::int64_t write_batch = host::kDefaultBatchSize;
  std::int64_t write_queue = host::kDefaultQueueCapacity;
  std::int64_t connect_timeout_ms = redis::ConnectionOptions{}.connect_timeout.count();
  std::int64_t command_timeout_ms = redis::ConnectionOptions{}.command_timeout.count();
  // The retry policy's defaults, as a pipeline document without them has.
  std::int64_t retries = RetryOptions{}.retries;
  std::int64_t retry_delay_ms = RetryOptions{}.delay.count();
  bool dry_run = false;
  bool replace = true;
  bool print_pipeline = false;

  // Whether the document carries a password (in a URI or an option, a key's
  // password included), which --print-pipeline warns about.
  bool document_holds_passwords() const;
};

// The options and the SOURCE TARGET arguments, with their help.
CommandSyntax replicate_command_syntax();

// Reads and checks the parsed options. Throws UsageError naming the option
// (or the URI, password masked) at fault.
ReplicateOptions read_replicate_options(const po::variables_map& values);

// The pipeline document the options stand for.
nlohmann::json replicate_pipeline_document(const ReplicateOptions& options);

}  // namespace riot::app
