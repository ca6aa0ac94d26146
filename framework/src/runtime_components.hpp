#pragma once
// Creation of a run's components through the factories their plugins
// registered: one source, and one reader or sink per worker thread (each owns
// its connections, so no instance is ever shared between threads).

#include <memory>
#include <vector>

#include "riot/components.hpp"
#include "riot/host/pipeline_spec.hpp"
#include "riot/host_context.hpp"

namespace riot::host {

struct RunComponents {
  std::unique_ptr<Source> source;
  std::vector<std::unique_ptr<Reader>> readers;
  std::vector<std::unique_ptr<Sink>> sinks;
};

// Throws StageError for the first component that cannot be created (a
// factory refusing its configuration, a connection refused or a password
// rejected at creation): nothing of the run may start then.
RunComponents create_components(const PipelineSpec& spec, HostContext& host);

}  // namespace riot::host
