#include "replicate_options.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <filesystem>
#include <limits>
#include <stdexcept>
#include <string_view>

#include "riot/redis/cluster/slot.hpp"
#include "riot/redis/cluster/topology.hpp"
#include "riot/redis/errors.hpp"
#include "riot/redis/uri.hpp"
#include "usage_error.hpp"

namespace riot::app {

namespace {

using nlohmann::json;

constexpr std::int64_t kMaxScanCount = std::numeric_limits<std::int32_t>::max();
constexpr std::int64_t kMaxTimeoutMs = 24 * 3600 * 1000;  // a day
constexpr std::int64_t kMaxRetries = 1000000;             // the retry schema's bound

// The values of --mode and --type: RIOT's, with the older spellings it
// accepted. Those of later versions are known, so that asking for one gets
// "not available yet" rather than "invalid".
struct Choice {
  std::string_view option;
  std::string_view value;
  std::string_view runs_as;  // empty: not available in this version
};
constexpr std::array kChoices{Choice{"mode", "scan", "scan"}, Choice{"mode", "snapshot", "scan"},
                              Choice{"mode", "live", ""},     Choice{"mode", "liveonly", ""},
                              Choice{"mode", "compare", ""},  Choice{"type", "dump", "dump"},
                              Choice{"type", "struct", ""},   Choice{"type", "ds", ""}};

std::string lowercase(std::string text) {
  std::transform(text.begin(), text.end(), text.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return text;
}

// The values of `option`, available ones only or all: "scan, snapshot".
std::string choice_list(std::string_view option, bool available_only) {
  std::string list;
  for (const Choice& choice : kChoices) {
    if (choice.option != option || (available_only && choice.runs_as.empty())) continue;
    list += (list.empty() ? "" : ", ") + std::string(choice.value);
  }
  return list;
}

// Case-insensitive, as RIOT's enums are.
std::string read_choice(const po::variables_map& values, std::string_view option) {
  const std::string value = lowercase(values[std::string(option)].as<std::string>());
  const std::string flag = "--" + std::string(option);
  for (const Choice& choice : kChoices) {
    if (choice.option != option || choice.value != value) continue;
    if (!choice.runs_as.empty()) return std::string(choice.runs_as);
    throw CommandLineError(
        flag + " " + value +
        " is not available yet in this version; available: " + choice_list(option, true));
  }
  throw CommandLineError("invalid value '" + value + "' for " + flag + ": expected " +
                         choice_list(option, false));
}

std::int64_t read_bounded(const po::variables_map& values, const char* option, std::int64_t minimum,
                          std::int64_t maximum) {
  const auto value = values[option].as<std::int64_t>();
  if (value < minimum || value > maximum) {
    throw CommandLineError("invalid value " + std::to_string(value) + " for --" + option +
                           ": must be between " + std::to_string(minimum) + " and " +
                           std::to_string(maximum));
  }
  return value;
}

std::optional<std::string> read_optional(const po::variables_map& values, const char* option) {
  if (!values.count(option)) return std::nullopt;
  return values[option].as<std::string>();
}

// Parsed now, so that a malformed URI is a usage error before anything
// loads or connects. The document keeps the text as written.
std::string read_uri(const po::variables_map& values, const char* argument, const char* role) {
  const std::string text = values[argument].as<std::string>();
  try {
    (void)redis::Uri::parse(text);
  } catch (const redis::UriError& error) {
    throw CommandLineError(std::string(role) + ": " + error.what());
  }
  return text;
}

// A file option, made absolute so that a printed pipeline runs from any
// directory.
std::optional<std::string> read_file_option(const po::variables_map& values,
                                            const std::string& option) {
  auto file = read_optional(values, option.c_str());
  if (file && file->empty())
    throw CommandLineError("invalid value '' for --" + option + ": expected a file");
  if (file) file = std::filesystem::absolute(*file).string();
  return file;
}

// A side's TLS options as given; check_tls_side judges them together.
TlsSide read_tls_side(const po::variables_map& values, const std::string& side_name) {
  const auto option = [&](const char* suffix) { return side_name + "-" + suffix; };
  TlsSide tls;
  tls.tls = values[option("tls")].as<bool>();
  tls.insecure = values[option("insecure")].as<bool>();
  if (!values[option("tls-verify")].defaulted()) {
    const std::string verify = lowercase(values[option("tls-verify")].as<std::string>());
    if (!redis::parse_tls_verify(verify))
      throw CommandLineError("invalid value '" + verify + "' for --" + option("tls-verify") +
                             ": expected full, ca or none");
    tls.tls_verify = verify;
  }
  tls.cacert = read_file_option(values, option("cacert"));
  tls.cert = read_file_option(values, option("cert"));
  tls.key = read_file_option(values, option("key"));
  tls.key_password = read_optional(values, option("key-pwd").c_str());
  return tls;
}

// Options that contradict each other, and options that TLS would never see
// (TLS off), stop the command: the user meant to encrypt or to authenticate,
// and would not be.
void check_tls_side(const TlsSide& tls, const std::string& side_name, const std::string& uri,
                    const char* role) {
  const auto option = [&](const char* suffix) { return side_name + "-" + suffix; };
  if (tls.insecure && tls.tls_verify && *tls.tls_verify != "none")
    throw CommandLineError("--" + option("insecure") + " contradicts --" + option("tls-verify") +
                           " " + *tls.tls_verify);
  if (tls.cert.has_value() != tls.key.has_value())
    throw CommandLineError("--" + option("cert") + " and --" + option("key") +
                           " go together: a client certificate needs its private key");
  if (tls.key_password && !tls.key)
    throw CommandLineError("--" + option("key-pwd") + " needs --" + option("key"));
  const redis::Scheme scheme = redis::Uri::parse(uri).scheme;
  if (tls.tls && scheme == redis::Scheme::unix_socket)
    throw CommandLineError("--" + option("tls") + ": TLS is not available over a Unix socket");
  if (tls.tls || scheme == redis::Scheme::tls) return;
  const std::pair<const char*, bool> given[] = {
      {"insecure", tls.insecure},         {"tls-verify", tls.tls_verify.has_value()},
      {"cacert", tls.cacert.has_value()}, {"cert", tls.cert.has_value()},
      {"key", tls.key.has_value()},       {"key-pwd", tls.key_password.has_value()}};
  for (const auto& [suffix, is_given] : given)
    if (is_given)
      throw CommandLineError("--" + option(suffix) + " needs TLS: use a rediss:// " + role +
                             " URI or --" + option("tls"));
}

// `side_name` is both the positional argument's name and the options' prefix:
// "source" and --source-user, --source-pass, --source-client-name.
ConnectionSide read_side(const po::variables_map& values, const std::string& side_name,
                         const char* role) {
  ConnectionSide side;
  side.uri = read_uri(values, side_name.c_str(), role);
  side.user = read_optional(values, (side_name + "-user").c_str());
  side.password = read_optional(values, (side_name + "-pass").c_str());
  side.client_name = read_optional(values, (side_name + "-client-name").c_str());
  side.cluster = values[side_name + "-cluster"].as<bool>();
  side.tls = read_tls_side(values, side_name);
  check_tls_side(side.tls, side_name, side.uri, role);
  return side;
}

// --key-slots in canonical form; nothing when absent.
std::optional<std::string> read_key_slots(const po::variables_map& values) {
  const std::optional<std::string> text = read_optional(values, "key-slots");
  if (!text) return std::nullopt;
  try {
    return redis::cluster::SlotSet::parse(*text).to_string();
  } catch (const std::invalid_argument& error) {
    throw CommandLineError("invalid value '" + *text + "' for --key-slots: " + error.what());
  }
}

// --read-from, in any case, with '-' or '_' ("REPLICA_PREFERRED" as RIOT
// spells it): its canonical name.
std::string read_read_from(const po::variables_map& values) {
  const std::string text = values["read-from"].as<std::string>();
  std::string name = lowercase(text);
  std::replace(name.begin(), name.end(), '_', '-');
  if (name == "upstream") name = "master";
  const auto read_from = redis::cluster::parse_read_from(name);
  if (!read_from)
    throw CommandLineError("invalid value '" + text +
                           "' for --read-from: expected master, replica, replica-preferred or any");
  return std::string(redis::cluster::to_string(*read_from));
}

// Only the options given: the schema's defaults stand for the others.
void add_tls_config(const TlsSide& tls, json& config) {
  if (tls.tls) config["tls"] = true;
  if (tls.insecure) config["insecure"] = true;
  if (tls.tls_verify) config["tls_verify"] = *tls.tls_verify;
  if (tls.cacert) config["cacert"] = *tls.cacert;
  if (tls.cert) config["cert"] = *tls.cert;
  if (tls.key) config["key"] = *tls.key;
  if (tls.key_password) config["key_password"] = *tls.key_password;
}

json connection_config(const ConnectionSide& side, const ReplicateOptions& options) {
  json config{{"uri", side.uri},
              {"connect_timeout_ms", options.connect_timeout_ms},
              {"command_timeout_ms", options.command_timeout_ms}};
  if (side.user) config["user"] = *side.user;
  if (side.password) config["password"] = *side.password;
  if (side.client_name) config["client_name"] = *side.client_name;
  if (side.cluster) config["cluster"] = true;
  add_tls_config(side.tls, config);
  config["retries"] = options.retries;
  config["retry_delay_ms"] = options.retry_delay_ms;
  return config;
}

json parallel_stage(const char* component, json config, std::int64_t threads,
                    std::int64_t batch_size, std::int64_t queue_capacity) {
  return {{"component", component},
          {"threads", threads},
          {"batch_size", batch_size},
          {"queue_capacity", queue_capacity},
          {"config", std::move(config)}};
}

bool has_password(const ConnectionSide& side) {
  if (side.password && !side.password->empty()) return true;
  if (side.tls.key_password) return true;
  try {
    return !redis::Uri::parse(side.uri).password.empty();
  } catch (const redis::UriError&) {
    return false;
  }
}

void add_replication_options(po::options_description& options, const ReplicateOptions& defaults) {
  po::options_description group("Replication");
  auto add = group.add_options();
  add("mode", po::value<std::string>()->value_name("MODE")->default_value(defaults.mode),
      "scan (alias: snapshot): copy every key once. live, liveonly and compare are not "
      "available yet in this version.");
  add("type", po::value<std::string>()->value_name("TYPE")->default_value(defaults.type),
      "dump: copy keys with DUMP and RESTORE. struct (alias: ds) is not available yet in this "
      "version.");
  add("dry-run", po::bool_switch(),
      "Read everything, write nothing (sink.null); TARGET is not contacted.");
  add("no-replace", po::bool_switch(),
      "Do not overwrite keys the target already holds: such keys fail with BUSYKEY and are "
      "reported (default: overwrite).");
  add("print-pipeline", po::bool_switch(),
      "Print the pipeline document these options stand for on stdout and exit without running "
      "it. The document holds any password given (riot run needs them): keep it private.");
  options.add(group);
}

void add_scan_options(po::options_description& options, const ReplicateOptions& defaults) {
  po::options_description group("Scan");
  auto add = group.add_options();
  add("scan-count", po::value<std::int64_t>()->value_name("N")->default_value(defaults.scan_count),
      "Keys the source examines per SCAN call (SCAN COUNT).");
  add("key-pattern,scan-match",
      po::value<std::string>()->value_name("GLOB")->default_value(defaults.key_pattern),
      "Copy only the keys matching this glob pattern (SCAN MATCH). Alias: --scan-match.");
  add("key-type,scan-type", po::value<std::string>()->value_name("TYPE"),
      "Copy only the keys of this type (SCAN TYPE): string, list, set, zset, hash, stream or a "
      "module type name (default: every type). Alias: --scan-type.");
  add("key-slots", po::value<std::string>()->value_name("RANGES"),
      "Copy only the keys whose cluster hash slot lies in these ranges, e.g. "
      "0:5460,10923:16383 (default: every slot). Computed from each key, so it also splits a "
      "single server: several riot runs with disjoint ranges share one source.");
  options.add(group);
}

void add_stage_options(po::options_description& options, const ReplicateOptions& defaults) {
  const auto count = [](std::int64_t default_value) {
    return po::value<std::int64_t>()->value_name("N")->default_value(default_value);
  };
  po::options_description group("Reading and writing");
  auto add = group.add_options();
  add("read-threads,read-pool,source-pool", count(defaults.read_threads),
      "Reader threads, each with its own source connection. Aliases: --read-pool, "
      "--source-pool.");
  add("read-from", po::value<std::string>()->value_name("NODE")->default_value(defaults.read_from),
      "On a source cluster, the node of each shard that is scanned and read: master, replica "
      "(each shard must have one), replica-preferred (a replica when there is one) or any.");
  add("read-batch", count(defaults.read_batch), "Keys per read batch (one pipelined round trip).");
  add("read-queue", count(defaults.read_queue),
      "Keys that may wait for the readers; a full queue pauses the scan.");
  add("write-threads,target-pool", count(defaults.write_threads),
      "Writer threads, each with its own target connection. Alias: --target-pool.");
  add("write-batch", count(defaults.write_batch),
      "Records per write batch (one pipelined round trip).");
  add("write-queue", count(defaults.write_queue),
      "Records that may wait for the writers; a full queue pauses the readers.");
  options.add(group);
}

void add_connection_options(po::options_description& options, const ReplicateOptions& defaults) {
  const auto milliseconds = [](std::int64_t default_value) {
    return po::value<std::int64_t>()->value_name("MS")->default_value(default_value);
  };
  po::options_description group("Connections");
  auto add = group.add_options();
  for (const char* side : {"source", "target"}) {
    const std::string prefix = side;
    add((prefix + "-user").c_str(), po::value<std::string>()->value_name("USER"),
        ("ACL user for the " + prefix + " (overrides the URI's).").c_str());
    add((prefix + "-pass").c_str(), po::value<std::string>()->value_name("PASSWORD"),
        ("Password for the " + prefix + " (overrides the URI's).").c_str());
    add((prefix + "-client-name").c_str(), po::value<std::string>()->value_name("NAME"),
        ("CLIENT SETNAME on " + prefix + " connections (default: riot).").c_str());
    add((prefix + "-cluster").c_str(), po::bool_switch(),
        ("The " + prefix +
         " is a Redis Cluster; riot refuses a server that says otherwise "
         "(default: ask the server with INFO cluster).")
            .c_str());
  }
  add("connect-timeout", milliseconds(defaults.connect_timeout_ms),
      "Connection timeout in milliseconds, both sides.");
  add("timeout,command-timeout", milliseconds(defaults.command_timeout_ms),
      "Command timeout in milliseconds, both sides. Alias: --command-timeout.");
  options.add(group);
}

void add_retry_options(po::options_description& options, const ReplicateOptions& defaults) {
  po::options_description group("Retries (see docs/fault-tolerance.md)");
  auto add = group.add_options();
  add("retry", po::value<std::int64_t>()->value_name("N")->default_value(defaults.retries),
      "Retries of a failed operation, on both sides, before riot gives up: a lost connection "
      "or a timeout (reconnect and re-send what was not acknowledged), or keys refused for a while "
      "(OOM, LOADING, BUSY, TRYAGAIN, CLUSTERDOWN, or a cluster redirection that did not settle: "
      "re-send those keys). 0: no retry.");
  add("retry-delay",
      po::value<std::int64_t>()->value_name("MS")->default_value(defaults.retry_delay_ms),
      "Wait before the first retry in milliseconds; it doubles at each further retry, up to 5000 "
      "ms (or MS, if larger).");
  options.add(group);
}

void add_tls_options(po::options_description& options) {
  po::options_description group("TLS (a rediss:// URI turns TLS on)");
  auto add = group.add_options();
  const auto file = [] { return po::value<std::string>()->value_name("FILE"); };
  for (const char* side : {"source", "target"}) {
    const std::string prefix = side;
    const std::string option = "--" + prefix + "-";
    add((prefix + "-tls").c_str(), po::bool_switch(),
        ("Connect to the " + prefix + " with TLS, whatever its URI's scheme (default: off).")
            .c_str());
    add((prefix + "-insecure").c_str(), po::bool_switch(),
        ("Do not verify the " + prefix + "'s certificate: the same as " + option +
         "tls-verify none (default: off).")
            .c_str());
    add((prefix + "-tls-verify").c_str(),
        po::value<std::string>()->value_name("MODE")->default_value("full"),
        ("What TLS checks of the " + prefix +
         "'s certificate: full (the chain up to a trusted CA, and the host name or IP address), "
         "ca (the chain only) or none.")
            .c_str());
    add((prefix + "-cacert").c_str(), file(),
        ("PEM file of the CA certificates trusted for the " + prefix +
         " (default: the system's CA certificates).")
            .c_str());
    add((prefix + "-cert").c_str(), file(),
        ("PEM client certificate for mutual TLS with the " + prefix + "; needs " + option +
         "key (default: none).")
            .c_str());
    add((prefix + "-key").c_str(), file(),
        ("PEM private key of " + option +
         "cert: PKCS#8 or traditional, possibly encrypted (default: none).")
            .c_str());
    add((prefix + "-key-pwd").c_str(), po::value<std::string>()->value_name("PASSWORD"),
        ("Password of an encrypted " + option + "key (default: none).").c_str());
  }
  options.add(group);
}

}  // namespace

bool ReplicateOptions::document_holds_passwords() const {
  return has_password(source) || (!dry_run && has_password(target));
}

CommandSyntax replicate_command_syntax() {
  const ReplicateOptions defaults;
  CommandSyntax syntax;
  syntax.name = "replicate";
  syntax.usage = "riot [GLOBAL OPTIONS] replicate [OPTIONS] SOURCE TARGET";
  syntax.description =
      "Copies the keys of SOURCE into TARGET: SCAN on the source, DUMP and PTTL of\n"
      "every key, RESTORE with the TTL it has left on the target. SOURCE and TARGET\n"
      "are Redis URIs: redis://[[user]:password@]host[:port][/db], rediss://... (TLS),\n"
      "redis-socket:///path/to.sock. The options map onto a pipeline document, run\n"
      "exactly as `riot run` would run it (see --print-pipeline).";
  add_replication_options(syntax.options, defaults);
  add_scan_options(syntax.options, defaults);
  add_stage_options(syntax.options, defaults);
  add_connection_options(syntax.options, defaults);
  add_retry_options(syntax.options, defaults);
  add_tls_options(syntax.options);
  auto add_argument = syntax.arguments.add_options();
  add_argument("source", po::value<std::string>(), "SOURCE URI");
  add_argument("target", po::value<std::string>(), "TARGET URI");
  syntax.positional.add("source", 1).add("target", 1);
  syntax.epilog =
      "Examples:\n"
      "  riot replicate redis://source:6379 rediss://default:pw@target:12000\n"
      "  riot replicate redis://localhost:6379/3 redis://localhost:6380/5 --key-pattern 'user:*'\n"
      "  riot replicate redis://src redis://dst --print-pipeline > pipeline.json\n";
  return syntax;
}

ReplicateOptions read_replicate_options(const po::variables_map& values) {
  if (!values.count("source") || !values.count("target")) {
    throw CommandLineError(
        values.count("source")
            ? "missing TARGET (a Redis URI such as redis://host:6379)"
            : "missing SOURCE and TARGET (Redis URIs such as redis://host:6379)");
  }
  ReplicateOptions options;
  options.mode = read_choice(values, "mode");
  options.type = read_choice(values, "type");
  options.source = read_side(values, "source", "SOURCE");
  options.target = read_side(values, "target", "TARGET");
  options.scan_count = read_bounded(values, "scan-count", 1, kMaxScanCount);
  options.key_pattern = values["key-pattern"].as<std::string>();
  options.key_type = read_optional(values, "key-type");
  if (options.key_type && options.key_type->empty()) {
    throw CommandLineError("invalid value '' for --key-type: expected a type name such as hash");
  }
  options.key_slots = read_key_slots(values);
  options.read_from = read_read_from(values);
  options.read_threads = read_bounded(values, "read-threads", 1, host::kMaxStageThreads);
  options.read_batch = read_bounded(values, "read-batch", 1, host::kMaxBatchSize);
  options.read_queue = read_bounded(values, "read-queue", 1, host::kMaxQueueCapacity);
  options.write_threads = read_bounded(values, "write-threads", 1, host::kMaxStageThreads);
  options.write_batch = read_bounded(values, "write-batch", 1, host::kMaxBatchSize);
  options.write_queue = read_bounded(values, "write-queue", 1, host::kMaxQueueCapacity);
  options.connect_timeout_ms = read_bounded(values, "connect-timeout", 1, kMaxTimeoutMs);
  options.command_timeout_ms = read_bounded(values, "timeout", 1, kMaxTimeoutMs);
  options.retries = read_bounded(values, "retry", 0, kMaxRetries);
  options.retry_delay_ms = read_bounded(values, "retry-delay", 0, kMaxTimeoutMs);
  options.dry_run = values["dry-run"].as<bool>();
  options.replace = !values["no-replace"].as<bool>();
  options.print_pipeline = values["print-pipeline"].as<bool>();
  return options;
}

json replicate_pipeline_document(const ReplicateOptions& options) {
  json scan = connection_config(options.source, options);
  scan["match"] = options.key_pattern;
  scan["count"] = options.scan_count;
  if (options.key_type) scan["type"] = *options.key_type;
  if (options.key_slots) scan["key_slots"] = *options.key_slots;
  json read = connection_config(options.source, options);
  if (options.read_from != ReplicateOptions{}.read_from) {
    scan["read_from"] = options.read_from;
    read["read_from"] = options.read_from;
  }

  json sink;
  if (options.dry_run) {
    sink = parallel_stage("sink.null", json::object(), options.write_threads, options.write_batch,
                          options.write_queue);
  } else {
    json restore = connection_config(options.target, options);
    restore["replace"] = options.replace;
    sink = parallel_stage("sink.restore", std::move(restore), options.write_threads,
                          options.write_batch, options.write_queue);
  }

  return {{"version", host::kPipelineVersion},
          {"stages",
           {{"source", {{"component", "source.scan"}, {"config", std::move(scan)}}},
            {"reader", parallel_stage("codec.dump", std::move(read), options.read_threads,
                                      options.read_batch, options.read_queue)},
            {"sink", std::move(sink)}}}};
}

}  // namespace riot::app
