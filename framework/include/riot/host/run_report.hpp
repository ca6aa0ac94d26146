#pragma once
// The JSON run report (`--report FILE`, docs/report.md): what ran, with which
// settings (secrets replaced), what each pipeline and each of its passes did,
// the keys that failed, what a comparison found, the lag of a live run and
// the exit code. Written at the end of every run that started, whether it
// succeeded, failed or was interrupted.

#include <chrono>
#include <cstddef>
#include <filesystem>
#include <mutex>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "riot/host/run_observer.hpp"
#include "riot/host/runtime.hpp"

namespace riot::host {

// The version of the report's layout; a field removed or changed in meaning
// moves it.
inline constexpr int kRunReportVersion = 1;

// One pass of a pipeline, with its own figures.
struct PassRecord {
  std::string pass;  // "replicate", "compare", "extras", "repair", "recompare"
  RunSummary summary;
};

// A pipeline that ran: its summary (all passes together) and its passes.
struct PipelineRecord {
  RunSummary summary;
  std::vector<PassRecord> passes;
};

// Collects the passes and pipelines of a run as they end. Thread-safe.
class RunRecorder final : public RunObserver {
 public:
  void pass_started(const RunningPass& pass) override { (void)pass; }
  void pass_ended(const RunningPass& pass, const RunSummary& summary) override;
  void pipeline_ended(const RunSummary& summary) override;

  std::vector<PipelineRecord> pipelines() const;

 private:
  mutable std::mutex mutex_;
  std::vector<PassRecord> passes_;  // of the pipeline running
  std::vector<PipelineRecord> pipelines_;
};

// What the report says beyond the pipelines' figures.
struct RunReportContext {
  std::string riot_version;
  std::string command;  // "run" or "replicate"
  std::chrono::system_clock::time_point started;
  std::chrono::system_clock::time_point ended;
  nlohmann::json document;  // the pipeline document as run; secrets are replaced here
  int exit_code = 0;
};

// The report (docs/report.md). Every secret of the document is replaced and
// URIs quoted in errors lose their passwords.
nlohmann::json run_report(const RunReportContext& context,
                          const std::vector<PipelineRecord>& pipelines);

// Why the report could not be written to `path`, or nothing when it could:
// checked before anything connects, without creating the file.
std::optional<std::string> unwritable_report(const std::string& path);

// Writes the report to `path` (replaced when it exists). Throws
// std::runtime_error naming the path.
void write_run_report(const std::filesystem::path& path, const nlohmann::json& report);

}  // namespace riot::host
