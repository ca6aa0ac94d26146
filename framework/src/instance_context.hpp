#pragma once
// The context of one component instance: the run's shared context (metrics,
// failures, endpoints, cancellation) plus what is the instance's own, its
// number among the instances of its stage. The host makes one per instance
// and keeps it as long as the instance, so a plugin never needs a global to
// tell its workers apart.

#include <cstddef>
#include <memory>
#include <string>
#include <string_view>

#include "host_context_impl.hpp"

namespace riot::host {

class InstanceContext final : public HostContext {
 public:
  // `checks_reads`: whether the databases the instance reads count as read
  // from in the check that refuses to write into one (not for a
  // reconciliation source walking the target: it reads the target to find
  // keys the source lacks, on purpose).
  InstanceContext(HostContextImpl& run, const std::string& component, std::size_t instance,
                  bool checks_reads = true)
      : run_(run),
        logger_(run.component_logger(component)),
        instance_(instance),
        checks_reads_(checks_reads) {}

  spdlog::logger& logger() override { return *logger_; }
  Metrics& metrics() override { return run_.metrics(); }
  const CancellationToken& cancellation() const override { return run_.cancellation(); }
  void report_failure(std::string_view key, std::string_view error) override {
    run_.report_failure(key, error);
  }
  void report_endpoint(EndpointUse use, EndpointIdentity identity) override {
    if (use == EndpointUse::read && !checks_reads_) return;
    run_.report_endpoint(use, std::move(identity));
  }
  void add_summary_note(std::string_view note) override { run_.add_summary_note(note); }
  std::size_t instance() const override { return instance_; }
  void request_reconciliation(std::string_view reason) override {
    run_.request_reconciliation(reason);
  }
  const Datatype* datatype(std::string_view type_name) override { return run_.datatype(type_name); }
  void report_equal(std::uint64_t keys, std::uint64_t after_recheck) override {
    run_.report_equal(keys, after_recheck);
  }
  void report_difference(const KeyDifference& difference) override {
    run_.report_difference(difference);
  }

 private:
  HostContextImpl& run_;
  std::shared_ptr<spdlog::logger> logger_;
  std::size_t instance_;
  bool checks_reads_;
};

}  // namespace riot::host
