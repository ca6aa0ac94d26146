#pragma once
// The comparator's host as the reads of its second looks see it: the same
// log, cancellation, failures and datatypes, but metrics of their own, so
// that reading a key again does not count as a key read by the pipeline's
// reader (keys_read and bytes_read measure the reader's progress).

#include <spdlog/spdlog.h>

#include "riot/host_context.hpp"

namespace riot::compare_plugin {

class UncountedHost final : public HostContext {
 public:
  explicit UncountedHost(HostContext& host) : host_(host) {}

  spdlog::logger& logger() override { return host_.logger(); }
  Metrics& metrics() override { return metrics_; }
  const CancellationToken& cancellation() const override { return host_.cancellation(); }
  void report_failure(std::string_view key, std::string_view error) override {
    host_.report_failure(key, error);
  }
  std::size_t instance() const override { return host_.instance(); }
  const Datatype* datatype(std::string_view type_name) override {
    return host_.datatype(type_name);
  }

 private:
  HostContext& host_;
  Metrics metrics_;
};

}  // namespace riot::compare_plugin
