// The summary printed at the end of a run.

#include <algorithm>
#include <cmath>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include "riot/host/runtime.hpp"
#include "riot/retry.hpp"
#include "runtime_units.hpp"

namespace riot::host {

namespace {

std::string outcome(const RunSummary& summary) {
  if (summary.refused) return "refused before the start";
  if (summary.interrupted && summary.live && !summary.fatal_error)
    return "interrupted, finished cleanly";
  if (summary.interrupted) return "interrupted";
  if (summary.fatal_error) return "stopped by a fatal error";
  if (summary.keys_failed > 0) return "finished, some keys failed";
  if (summary.comparison && summary.comparison->counts.differences() > 0)
    return "finished, differences found";
  if (summary.idle_timeout) return "finished (idle timeout)";
  return "finished";
}

class SummaryWriter {
 public:
  void line(const char* label, const std::string& value) {
    constexpr std::size_t kLabelWidth = 18;  // "events coalesced:" and a space
    std::string padded = std::string(label) + ":";
    padded.resize(std::max(padded.size() + 1, kLabelWidth), ' ');
    out_ << "  " << padded << value << '\n';
  }
  std::ostringstream& out() { return out_; }

 private:
  std::ostringstream out_;
};

std::string milliseconds_text(double ms) {
  std::ostringstream text;
  text.setf(std::ios::fixed);
  text.precision(ms < 10 ? 2 : (ms < 100 ? 1 : 0));
  text << ms << " ms";
  return text.str();
}

void write_live_lines(const RunSummary& summary, SummaryWriter& writer) {
  writer.line("events received", std::to_string(summary.events_received));
  writer.line("events coalesced", std::to_string(summary.events_coalesced));
  writer.line("events applied", std::to_string(summary.events_applied));
  if (summary.events_overflowed > 0)
    writer.line("events overflowed", std::to_string(summary.events_overflowed) +
                                         " (not queued: made up by reconciliation)");
  writer.line("deletes", std::to_string(summary.keys_deleted) + " propagated");
  if (summary.lag) {
    writer.line("lag", "p50 " + milliseconds_text(summary.lag->p50_ms) + ", p99 " +
                           milliseconds_text(summary.lag->p99_ms) + ", max " +
                           milliseconds_text(summary.lag->max_ms) + " (" +
                           std::to_string(summary.lag->samples) + " writes)");
  } else {
    writer.line("lag", "none measured (no change followed)");
  }
  writer.line("recoveries", std::to_string(summary.recoveries));
}

// `verify: 1000 keys: 990 ok, 4 missing, ...`, what repair did, and whether
// a difference may be a write in flight.
void write_comparison_lines(const RunSummary& summary, SummaryWriter& writer) {
  const ComparisonSummary& comparison = *summary.comparison;
  const std::string name = summary.pipeline.empty() ? "comparison" : summary.pipeline;
  writer.out() << name << ": " << comparison.counts.keys()
               << " keys: " << format_counts(comparison.counts) << '\n';
  if (comparison.repair) {
    const RepairFigures& repair = *comparison.repair;
    writer.out() << "repair: " << repair.keys_copied << " keys copied again, "
                 << repair.keys_deleted << " deleted; compared again: " << repair.compared_again.ok
                 << " ok, " << repair.compared_again.differences() << " still differ\n";
  }
  if (comparison.maybe_in_flight()) {
    writer.out() << "Note: the source was written during the comparison ("
                 << comparison.equal_after_recheck << " keys equal only at a second look, "
                 << comparison.changed_during_comparison
                 << " differences changed while compared): a difference may be a write in "
                    "flight; compare again once writes stop\n";
  }
}

}  // namespace

std::string format_summary(const RunSummary& summary) {
  SummaryWriter writer;
  writer.out() << "Summary: " << outcome(summary) << '\n';
  if (summary.keys_total_estimate > 0) {
    writer.line("keys estimated", std::to_string(summary.keys_total_estimate));
  }
  writer.line("keys scanned", std::to_string(summary.keys_scanned));
  if (summary.keys_filtered > 0)
    writer.line("keys filtered", std::to_string(summary.keys_filtered));
  writer.line("keys read", std::to_string(summary.keys_read));
  writer.line("keys written", std::to_string(summary.keys_written));
  writer.line("keys deleted", std::to_string(summary.keys_deleted));
  writer.line("keys skipped", std::to_string(summary.keys_skipped));
  writer.line("keys expired", std::to_string(summary.keys_expired));
  writer.line("keys failed", std::to_string(summary.keys_failed));
  if (summary.keys_existing > 0)
    writer.line("keys left alone",
                std::to_string(summary.keys_existing) + " (on the target already; replace off)");
  writer.line("bytes read", format_bytes(summary.bytes_read));
  writer.line("bytes written", format_bytes(summary.bytes_written));
  writer.line("duration", format_duration(summary.seconds));
  writer.line("rate", std::to_string(std::llround(summary.keys_per_second())) + " keys/s");
  if (summary.live) write_live_lines(summary, writer);
  if (summary.comparison) write_comparison_lines(summary, writer);

  if (!summary.failure_causes.empty()) {
    writer.out() << "Failed keys, by cause:\n";
    for (const FailureCause& cause : summary.failure_causes) {
      const std::vector<std::string_view> first(cause.first_keys.begin(), cause.first_keys.end());
      writer.out() << "  " << describe_keys(cause.keys, first) << ": " << cause.error << '\n';
    }
  }
  for (const std::string& note : summary.notes) writer.out() << "Note: " << note << '\n';
  if (const auto stop = format_stop_line(summary)) writer.out() << *stop << '\n';
  if (summary.interrupted && summary.live && !summary.fatal_error) {
    writer.out() << "Interrupted: every change read before the signal was written; changes made "
                    "after it are not on the target.\n";
  } else if (summary.interrupted) {
    writer.out() << "Interrupted before the end: the target may be incomplete.\n";
  }
  return writer.out().str();
}

std::optional<std::string> format_stop_line(const RunSummary& summary) {
  if (summary.refused) return "Refused: " + *summary.refused;
  if (summary.fatal_error) return "Fatal error: " + *summary.fatal_error;
  return std::nullopt;
}

}  // namespace riot::host
