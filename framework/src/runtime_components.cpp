#include "runtime_components.hpp"

#include <algorithm>
#include <exception>
#include <memory>
#include <string>
#include <string_view>
#include <variant>

#include "comparing_sink.hpp"
#include "runtime_stage_error.hpp"

namespace riot::host {

namespace {

// Calls the stage's factory of kind `Factory`. Validation has checked the
// component kind of each stage; a mismatch here is a bug, reported as such.
template <typename Factory>
auto create_one(const char* stage, const StageSpec& spec, RunComponents& components,
                HostContextImpl& run, std::size_t instance, bool checks_reads = true) {
  HostContext& host = *components.contexts.emplace_back(
      std::make_unique<InstanceContext>(run, spec.component, instance, checks_reads));
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

RunComponents& RunComponents::operator=(RunComponents&& other) noexcept {
  sinks.clear();
  readers.clear();
  reconcile.clear();
  sources.clear();
  transforms.clear();
  datatypes.clear();
  contexts.clear();
  contexts = std::move(other.contexts);
  datatypes = std::move(other.datatypes);
  transforms = std::move(other.transforms);
  sources = std::move(other.sources);
  reconcile = std::move(other.reconcile);
  readers = std::move(other.readers);
  sinks = std::move(other.sinks);
  return *this;
}

RunComponents::~RunComponents() {
  sinks.clear();
  readers.clear();
  reconcile.clear();
  sources.clear();
  transforms.clear();
  datatypes.clear();
}

RunComponents create_components(const PipelineSpec& spec, HostContextImpl& host,
                                bool check_source_reads) {
  RunComponents components;
  for (const LoadedComponent* loaded : spec.datatypes) {
    StageSpec datatype;
    datatype.component = loaded->info->name;
    datatype.config = nlohmann::json::object();
    datatype.resolved = loaded;
    Datatype& created = *components.datatypes.emplace_back(
        create_one<DatatypeFactory>("datatype", datatype, components, host, 0));
    const std::string_view prefix = "datatype.";
    host.register_datatype(loaded->info->name.substr(prefix.size()), created);
  }
  for (std::size_t i = 0; i < spec.transforms.size(); ++i) {
    components.transforms.push_back(
        create_one<TransformFactory>("transform", spec.transforms[i], components, host, i));
  }
  for (std::size_t i = 0; i < spec.sources.size(); ++i) {
    components.sources.push_back(create_one<SourceFactory>("source", spec.sources[i], components,
                                                           host, i, check_source_reads));
  }
  // A reconciliation pass reads the target too (to find the keys only it
  // holds): that is no copy into the database read.
  for (std::size_t i = 0; i < spec.reconcile.size(); ++i) {
    components.reconcile.push_back(
        create_one<SourceFactory>("reconcile", spec.reconcile[i], components, host, i, false));
  }
  for (int i = 0; i < worker_count(spec.reader); ++i) {
    components.readers.push_back(create_one<ReaderFactory>("reader", spec.reader, components, host,
                                                           static_cast<std::size_t>(i)));
  }
  for (int i = 0; i < worker_count(spec.output()); ++i) {
    const auto instance = static_cast<std::size_t>(i);
    if (spec.compares()) {
      components.sinks.push_back(std::make_unique<ComparingSink>(create_one<ComparatorFactory>(
          "comparator", spec.comparator, components, host, instance)));
    } else {
      components.sinks.push_back(
          create_one<SinkFactory>("sink", spec.sink, components, host, instance));
    }
  }
  return components;
}

}  // namespace riot::host
