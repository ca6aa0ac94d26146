#include "riot_refusals.hpp"

#include <array>

namespace riot::app {

namespace {

struct Refusal {
  std::string_view name;
  std::string_view riot_way;
};

constexpr std::string_view kJavaStores =
    "is a Java key or trust store: riot reads PEM files, --source-cacert/--target-cacert FILE "
    "for the CA certificates, --*-cert FILE and --*-key FILE for a client certificate";
constexpr std::string_view kSkipping =
    "has no riot equivalent: riot never stops for a failed key; it names it, goes on, lists "
    "the failures in the summary and exits 1";

constexpr std::array kRefusals{
    Refusal{"stacktrace",
            "has no riot equivalent: riot prints no stack traces; -d logs at "
            "debug level"},
    Refusal{"no-auto-reconnect",
            "has no riot equivalent: riot always reconnects and re-sends what was not "
            "acknowledged; --retry 0 gives up at the first failure"},
    Refusal{"resp", "has no riot equivalent: riot speaks RESP2 to every server; leave it out"},
    Refusal{"ks", kJavaStores},
    Refusal{"ks-password", kJavaStores},
    Refusal{"ks-pwd", kJavaStores},
    Refusal{"ts", kJavaStores},
    Refusal{"ts-password", kJavaStores},
    Refusal{"ts-pwd", kJavaStores},
    Refusal{"keystore", kJavaStores},
    Refusal{"keystore-pass", kJavaStores},
    Refusal{"trust", kJavaStores},
    Refusal{"trust-pass", kJavaStores},
    Refusal{"sleep",
            "has no riot equivalent: riot does not pause between reads; --rate N "
            "limits the keys read per second"},
    Refusal{"progress-interval",
            "has no riot equivalent: the progress bar is redrawn about five times a second, "
            "--progress log writes a line every 5 seconds"},
    Refusal{"progress-rate",
            "has no riot equivalent: the progress bar is redrawn about five times a second, "
            "--progress log writes a line every 5 seconds"},
    Refusal{"metrics-step",
            "has no riot equivalent: riot's metrics are read by Prometheus when it scrapes "
            "them (--metrics-port PORT)"},
    Refusal{"multi-exec",
            "has no riot equivalent: riot pipelines its writes, and writes a key copied in "
            "chunks atomically by itself; leave it out"},
    Refusal{"wait-replicas",
            "has no riot equivalent: riot does not send WAIT; --mode compare (or the "
            "verification after a copy) checks what the target holds"},
    Refusal{"wait-timeout",
            "has no riot equivalent: riot does not send WAIT; --mode compare (or the "
            "verification after a copy) checks what the target holds"},
    Refusal{"log-keys",
            "has no riot equivalent: -d logs every failed key, and the summary "
            "lists the failures by cause"},
    Refusal{"skip-policy", kSkipping},
    Refusal{"skip-limit", kSkipping},
    Refusal{"skip", kSkipping},
    Refusal{"reader-skip-policy", kSkipping},
    Refusal{"reader-skip-limit", kSkipping},
    Refusal{"read-skip", kSkipping},
    Refusal{"read-retry",
            "has no riot equivalent: riot retries every failed operation, --retry "
            "N times with --retry-delay MS"},
    Refusal{"retry-policy",
            "has no riot equivalent: riot retries every failed operation, "
            "--retry N times with --retry-delay MS"},
    Refusal{"read-poll",
            "has no riot equivalent: riot hands on what it read at once, or after "
            "--flush-interval MS in live mode"},
    Refusal{"key-regex", "has no riot equivalent: --key-pattern GLOB selects keys by SCAN MATCH"},
    Refusal{"stream-prune",
            "has no riot equivalent: with --type struct a stream the target holds is replaced "
            "whole (--merge-policy overwrite, the default)"},
    Refusal{"job-name", "has no riot equivalent: leave it out"},
    Refusal{"repeat",
            "has no riot equivalent: run riot again, or use --mode live to follow "
            "changes"},
    Refusal{"D", "(Java system properties) has no riot equivalent: leave it out"},
};

}  // namespace

std::optional<std::string> riot_refusal(std::string_view name) {
  for (const Refusal& refusal : kRefusals)
    if (refusal.name == name) return std::string(refusal.riot_way);
  return std::nullopt;
}

}  // namespace riot::app
