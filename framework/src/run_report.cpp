#include "riot/host/run_report.hpp"

#include <cstdio>
#include <cstring>
#include <ctime>
#include <fstream>
#include <stdexcept>

#include "key_encoding.hpp"
#include "riot/host/secret_redaction.hpp"
#include "riot/record.hpp"
#include "writable_path.hpp"

namespace riot::host {

using nlohmann::json;

namespace {

// RFC 3339 in UTC with milliseconds: "2026-12-02T04:44:47.123Z".
std::string utc_timestamp(std::chrono::system_clock::time_point when) {
  const auto milliseconds =
      std::chrono::duration_cast<std::chrono::milliseconds>(when.time_since_epoch()).count();
  const std::time_t seconds = static_cast<std::time_t>(milliseconds / 1000);
  std::tm parts{};
  ::gmtime_r(&seconds, &parts);
  char text[40];
  const std::size_t length = std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%S", &parts);
  char fraction[8];
  std::snprintf(fraction, sizeof fraction, ".%03dZ", static_cast<int>(milliseconds % 1000));
  return std::string(text, length) + fraction;
}

double per_second(std::uint64_t count, double seconds) {
  return seconds > 0 ? static_cast<double>(count) / seconds : 0.0;
}

// How long the printable form of a binary key may grow (escapes included)
// before it ends with "...": the base64 form beside it is exact.
constexpr std::size_t kPrintableKeyLength = 256;

// A key as JSON: its text when it is valid UTF-8; otherwise an escaped,
// printable form to read and its exact bytes in base64.
json key_entry(const std::string& key) {
  if (is_valid_utf8(key)) return {{"key", key}};
  return {{"key", printable_key(key, kPrintableKeyLength)}, {"key_base64", base64_encode(key)}};
}

json failures(const RunSummary& summary) {
  json causes = json::array();
  for (const FailureCause& cause : summary.failure_causes) {
    json keys = json::array();
    for (const std::string& key : cause.first_keys) keys.push_back(key_entry(key));
    causes.push_back(
        {{"error", redact_uris(cause.error)},
         {"keys", cause.keys},
         {"first_keys", std::move(keys)},
         {"more_keys", cause.keys - std::min<std::uint64_t>(cause.keys, cause.first_keys.size())}});
  }
  return causes;
}

json counts(const ComparisonCounts& counts) {
  return {{"ok", counts.ok},
          {"missing", counts.missing},
          {"extra", counts.extra},
          {"type", counts.type},
          {"value", counts.value},
          {"ttl", counts.ttl},
          {"differences", counts.differences()}};
}

json verification(const ComparisonSummary& comparison) {
  json out{{"counts", counts(comparison.counts)},
           {"equal_after_recheck", comparison.equal_after_recheck},
           {"changed_during_comparison", comparison.changed_during_comparison},
           {"maybe_in_flight", comparison.maybe_in_flight()}};
  out["before_repair"] = comparison.before_repair ? counts(*comparison.before_repair) : json();
  if (comparison.repair) {
    out["repair"] = {{"keys_copied", comparison.repair->keys_copied},
                     {"keys_deleted", comparison.repair->keys_deleted},
                     {"compared_again", counts(comparison.repair->compared_again)}};
  } else {
    out["repair"] = nullptr;
  }
  return out;
}

json lag(const std::optional<LagFigures>& figures) {
  if (!figures || figures->samples == 0) return nullptr;
  return {{"samples", figures->samples},
          {"p50_ms", figures->p50_ms},
          {"p90_ms", figures->p90_ms},
          {"p99_ms", figures->p99_ms},
          {"max_ms", figures->max_ms},
          {"mean_ms", figures->sum_ms / static_cast<double>(figures->samples)}};
}

std::string outcome(const RunSummary& summary) {
  if (summary.refused) return "refused";
  if (summary.interrupted) return "interrupted";
  if (summary.fatal_error) return "fatal_error";
  if (summary.keys_failed > 0) return "keys_failed";
  if (summary.comparison && summary.comparison->counts.differences() > 0) return "differences";
  return "finished";
}

// The phases of a pass: the walk (keys scanned), the reads and the writes
// (or the comparisons), each with its counts, duration and rates.
json phases(const RunSummary& summary) {
  const double seconds = summary.seconds;
  json scan{{"keys", summary.keys_scanned},
            {"seconds", summary.scan_seconds ? json(*summary.scan_seconds) : json()}};
  scan["keys_per_second"] =
      per_second(summary.keys_scanned, summary.scan_seconds.value_or(seconds));
  json read{{"keys", summary.keys_read},
            {"keys_skipped", summary.keys_skipped},
            {"bytes", summary.bytes_read},
            {"seconds", seconds},
            {"keys_per_second", per_second(summary.keys_read, seconds)},
            {"bytes_per_second", per_second(summary.bytes_read, seconds)},
            {"rate_limit_wait_seconds", summary.rate_wait_seconds}};
  json write{{"keys", summary.keys_written},
             {"keys_deleted", summary.keys_deleted},
             {"keys_expired", summary.keys_expired},
             {"keys_failed", summary.keys_failed},
             {"bytes", summary.bytes_written},
             {"seconds", seconds},
             {"keys_per_second", per_second(summary.keys_written, seconds)},
             {"bytes_per_second", per_second(summary.bytes_written, seconds)}};
  return {{"scan", std::move(scan)}, {"read", std::move(read)}, {"write", std::move(write)}};
}

json live(const RunSummary& summary) {
  if (!summary.live) return nullptr;
  return {{"events_received", summary.events_received},
          {"events_coalesced", summary.events_coalesced},
          {"events_overflowed", summary.events_overflowed},
          {"events_applied", summary.events_applied},
          {"reconciliations", summary.recoveries},
          {"idle_timeout", summary.idle_timeout},
          {"lag", lag(summary.lag)}};
}

// What a summary says, for a pipeline or one of its passes.
json figures(const RunSummary& summary) {
  json out{{"outcome", outcome(summary)},
           {"seconds", summary.seconds},
           {"keys_estimated", summary.keys_total_estimate},
           {"phases", phases(summary)},
           {"live", live(summary)},
           {"failures", failures(summary)},
           {"keys_failed", summary.keys_failed},
           {"interrupted", summary.interrupted}};
  out["fatal_error"] = summary.fatal_error ? json(redact_uris(*summary.fatal_error)) : json();
  out["refused"] = summary.refused ? json(redact_uris(*summary.refused)) : json();
  json notes = json::array();
  for (const std::string& note : summary.notes) notes.push_back(redact_uris(note));
  out["notes"] = std::move(notes);
  out["verification"] = summary.comparison ? verification(*summary.comparison) : json();
  return out;
}

}  // namespace

void RunRecorder::pass_ended(const RunningPass& pass, const RunSummary& summary) {
  const std::lock_guard lock(mutex_);
  passes_.push_back({std::string(pass.pass()), summary});
}

void RunRecorder::pipeline_ended(const RunSummary& summary) {
  const std::lock_guard lock(mutex_);
  pipelines_.push_back({summary, std::move(passes_)});
  passes_.clear();
}

std::vector<PipelineRecord> RunRecorder::pipelines() const {
  const std::lock_guard lock(mutex_);
  return pipelines_;
}

json run_report(const RunReportContext& context, const std::vector<PipelineRecord>& pipelines) {
  json report{{"report_version", kRunReportVersion},
              {"riot_version", context.riot_version},
              {"command", context.command},
              {"started_at", utc_timestamp(context.started)},
              {"ended_at", utc_timestamp(context.ended)},
              {"seconds", std::chrono::duration<double>(context.ended - context.started).count()},
              {"exit_code", context.exit_code},
              {"options", redact_secrets(context.document)}};
  json ran = json::array();
  for (const PipelineRecord& pipeline : pipelines) {
    json entry = figures(pipeline.summary);
    entry["name"] = pipeline.summary.pipeline;
    json passes = json::array();
    for (const PassRecord& pass : pipeline.passes) {
      json figures_of_pass = figures(pass.summary);
      figures_of_pass["pass"] = pass.pass;
      passes.push_back(std::move(figures_of_pass));
    }
    entry["passes"] = std::move(passes);
    ran.push_back(std::move(entry));
  }
  report["pipelines"] = std::move(ran);
  return report;
}

std::optional<std::string> unwritable_report(const std::string& path) {
  return unwritable_file(path);
}

void write_run_report(const std::filesystem::path& path, const nlohmann::json& report) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  // Failure details may quote bytes of values: never let them break the file.
  out << report.dump(2, ' ', false, json::error_handler_t::replace) << '\n';
  out.flush();
  if (!out) {
    throw std::runtime_error("cannot write the run report '" + path.string() +
                             "': " + std::strerror(errno));
  }
}

}  // namespace riot::host
