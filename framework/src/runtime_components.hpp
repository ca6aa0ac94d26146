#pragma once
// Creation of a run's components through the factories their plugins
// registered: each source once, and one reader or sink per worker thread
// (each owns its connections, so no instance is ever shared between
// threads). Every instance gets a context of its own (instance_context.hpp).

#include <memory>
#include <vector>

#include "instance_context.hpp"
#include "riot/components.hpp"
#include "riot/host/pipeline_spec.hpp"
#include "riot/key_transform.hpp"

namespace riot::host {

struct RunComponents {
  // Declared first, destroyed last: components may use their context until
  // they are gone.
  std::vector<std::unique_ptr<InstanceContext>> contexts;
  // Shared by the readers and sinks, which may hold pointers to them: go
  // after them, before the contexts.
  std::vector<std::unique_ptr<Datatype>> datatypes;
  // One per transform stage, shared by every thread (their methods are const).
  std::vector<std::unique_ptr<KeyTransform>> transforms;
  std::vector<std::unique_ptr<Source>> sources;
  std::vector<std::unique_ptr<Source>> reconcile;
  std::vector<std::unique_ptr<Reader>> readers;
  std::vector<std::unique_ptr<Sink>> sinks;

  RunComponents() = default;
  RunComponents(RunComponents&&) = default;
  // Components go before their contexts, whatever the member order says.
  RunComponents& operator=(RunComponents&& other) noexcept;
  ~RunComponents();
};

// A comparing pipeline's comparators take the sinks' place (comparing_sink.hpp).
// `check_source_reads`: whether what the sources read counts in the check
// that refuses to write into a database read (not for a walk of the target).
// Creates the datatypes first (one instance each, configuration `{}`) and
// registers them with `host` under their Redis type names, so that readers
// and sinks may look them up from their constructors.
// Throws StageError for the first component that cannot be created (a
// factory refusing its configuration, a connection refused or a password
// rejected at creation): nothing of the run may start then.
RunComponents create_components(const PipelineSpec& spec, HostContextImpl& host,
                                bool check_source_reads = true);

}  // namespace riot::host
