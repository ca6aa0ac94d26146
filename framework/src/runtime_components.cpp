#include "runtime_components.hpp"

#include <algorithm>
#include <exception>
#include <string>
#include <variant>

#include "runtime_stage_error.hpp"

namespace riot::host {

namespace {

// Calls the stage's factory of kind `Factory`. Validation has checked the
// component kind of each stage; a mismatch here is a bug, reported as such.
template <typename Factory>
auto create_one(const char* stage, const StageSpec& spec, HostContext& host) {
  if (spec.resolved == nullptr || spec.resolved->info == nullptr) {
    throw StageError(stage,
                     "component '" + spec.component + "' is not resolved (pipeline not validated)");
  }
  const auto* factory = std::get_if<Factory>(&spec.resolved->info->factory);
  if (factory == nullptr || !*factory) {
    throw StageError(stage, "component '" + spec.component + "' cannot serve as a " + stage);
  }
  try {
    auto component = (*factory)(spec.config, host);
    if (!component)
      throw std::runtime_error("the factory of '" + spec.component + "' returned nothing");
    return component;
  } catch (const std::exception& error) {
    throw StageError(stage, error.what());
  }
}

// At least one worker: a stage without any would leave the stage before it
// blocked on a full queue for ever.
int worker_count(const StageSpec& stage) {
  return std::max(1, stage.threads);
}

}  // namespace

RunComponents create_components(const PipelineSpec& spec, HostContext& host) {
  RunComponents components;
  components.source = create_one<SourceFactory>("source", spec.source, host);
  for (int i = 0; i < worker_count(spec.reader); ++i) {
    components.readers.push_back(create_one<ReaderFactory>("reader", spec.reader, host));
  }
  for (int i = 0; i < worker_count(spec.sink); ++i) {
    components.sinks.push_back(create_one<SinkFactory>("sink", spec.sink, host));
  }
  return components;
}

}  // namespace riot::host
