#pragma once
// A running pass whose figures the test sets: what the run report and the
// metrics endpoint read from a pass, without running one.

#include <optional>
#include <string>
#include <string_view>

#include "riot/host/run_observer.hpp"
#include "riot/host/runtime.hpp"

namespace riot::host {

class FakeRunningPass final : public RunningPass {
 public:
  FakeRunningPass(std::string pipeline, std::string pass)
      : pipeline_(std::move(pipeline)), pass_(std::move(pass)) {}
  const std::string& pipeline() const override { return pipeline_; }
  std::string_view pass() const override { return pass_; }
  const Metrics& metrics() const override { return metrics_; }
  QueueDepths queue_depths() const override { return depths_; }
  std::optional<LagFigures> recent_lag() const override { return recent_; }
  std::optional<LagFigures> overall_lag() const override { return overall_; }
  std::optional<ComparisonCounts> comparison() const override { return comparison_; }

  Metrics metrics_;
  QueueDepths depths_;
  std::optional<LagFigures> recent_;
  std::optional<LagFigures> overall_;
  std::optional<ComparisonCounts> comparison_;

 private:
  std::string pipeline_;
  std::string pass_;
};

}  // namespace riot::host
