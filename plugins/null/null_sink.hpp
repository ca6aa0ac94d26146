#pragma once
// sink.null: the dry run. Counts records as a real sink would count them once
// written, and writes nothing anywhere.

#include "riot/components.hpp"
#include "riot/host_context.hpp"

namespace riot::null_plugin {

class NullSink final : public Sink {
 public:
  explicit NullSink(HostContext& host) : host_(host) {}

  void write(RecordBatch& records) override;

 private:
  HostContext& host_;
};

}  // namespace riot::null_plugin
