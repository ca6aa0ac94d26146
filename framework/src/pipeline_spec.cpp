// Reading and writing the pipeline document (see pipeline_spec.hpp and
// docs/pipeline.md). Validation goes on past the first problem so that one
// run of `riot validate` lists everything there is to fix.

#include "riot/host/pipeline_spec.hpp"

#include <algorithm>
#include <stdexcept>
#include <string_view>

#include "riot/host/schema_validator.hpp"
#include "schema_json_pointer.hpp"
#include "schema_types.hpp"

namespace riot::host {

namespace {

using nlohmann::json;

// What sets the stages apart: the kind of component each one runs, and
// whether the runtime runs it in parallel (only those take threads, batch
// size and queue capacity; the source runs once and batches as it sees fit).
struct StageRule {
  std::string_view name;
  ComponentKind kind;
  bool parallel;
};

constexpr StageRule kSourceRule{"source", ComponentKind::source, false};
constexpr StageRule kReconcileRule{"reconcile", ComponentKind::source, false};
constexpr StageRule kReaderRule{"reader", ComponentKind::reader, true};
constexpr StageRule kSinkRule{"sink", ComponentKind::sink, true};

constexpr std::string_view kEventOrders[] = {"fifo", "priority"};

std::string kind_name(ComponentKind kind) {
  return std::string(to_string(kind));
}

struct Setting {
  std::string_view key;
  std::size_t maximum;
  std::size_t default_value;
};

constexpr Setting kThreads{"threads", kMaxStageThreads, kDefaultStageThreads};
constexpr Setting kBatchSize{"batch_size", kMaxBatchSize, kDefaultBatchSize};
constexpr Setting kQueueCapacity{"queue_capacity", kMaxQueueCapacity, kDefaultQueueCapacity};
constexpr Setting kBatchBytes{"batch_bytes", kMaxBatchBytes, kDefaultBatchBytes};
constexpr Setting kQueueBytes{"queue_bytes", kMaxQueueBytes, kDefaultQueueBytes};

class DocumentReader {
 public:
  DocumentReader(const PluginRegistry& registry, ValidationErrors& errors)
      : registry_(registry), errors_(errors) {}

  void read(const json& document, PipelineSpec& pipeline) {
    if (!expect_type(document, "object", "")) return;
    report_unknown_keys(document, {"runtime", "stages", "version"}, "", "");
    if (const auto version = document.find("version"); version != document.end()) {
      if (expect_type(*version, "integer", "/version") && *version != kPipelineVersion) {
        report("/version", "unsupported version " + value_text(*version) +
                               "; this riot reads version " + std::to_string(kPipelineVersion));
      }
    }
    const auto stages = document.find("stages");
    if (stages == document.end()) {
      report("", "missing required key 'stages'");
    } else if (expect_type(*stages, "object", "/stages")) {
      read_stages(*stages, pipeline);
    }
    if (const auto runtime = document.find("runtime"); runtime != document.end()) {
      if (expect_type(*runtime, "object", "/runtime")) read_runtime(*runtime, pipeline.runtime);
    }
  }

 private:
  void report(std::string pointer, std::string message) {
    errors_.push_back({std::move(pointer), std::move(message)});
  }

  bool expect_type(const json& value, std::string_view type, const std::string& pointer) {
    if (has_schema_type(value, type)) return true;
    report(pointer,
           "expected " + std::string(type) + ", got " + std::string(schema_type_name(value)));
    return false;
  }

  // `allowed` is in alphabetical order, as messages list it.
  void report_unknown_keys(const json& object, const std::vector<std::string>& allowed,
                           const std::string& pointer, const std::string& hint) {
    for (const auto& entry : object.items()) {
      if (std::find(allowed.begin(), allowed.end(), entry.key()) != allowed.end()) continue;
      report(child_pointer(pointer, entry.key()),
             "unknown key '" + entry.key() + "'; allowed keys: " + join_list(allowed) + hint);
    }
  }

  void read_stages(const json& stages, PipelineSpec& pipeline) {
    report_unknown_keys(stages, {"reader", "reconcile", "sink", "source", "sources"}, "/stages",
                        "");
    read_sources(stages, pipeline);
    if (const auto reconcile = stages.find("reconcile"); reconcile != stages.end()) {
      read_stage_list(kReconcileRule, *reconcile, "/stages/reconcile", pipeline.reconcile);
    }
    read_required_stage(stages, kReaderRule, pipeline.reader);
    read_required_stage(stages, kSinkRule, pipeline.sink);
    check_record_forms(pipeline.reader, pipeline.sink);
  }

  // Every record form the reader produces must be one the sink accepts
  // (codec.dump's DUMP payloads mean nothing to sink.struct).
  void check_record_forms(const StageSpec& reader, const StageSpec& sink) {
    if (reader.resolved == nullptr || sink.resolved == nullptr) return;
    const RecordForms produced = reader.resolved->info->produces;
    const RecordForms accepted = sink.resolved->info->accepts;
    const RecordForms missing = produced.missing_from(accepted);
    if (missing.empty()) return;
    report("/stages/sink/component",
           "sink '" + sink.component + "' accepts " + to_string(accepted) +
               " records, but reader '" + reader.component + "' produces " + to_string(produced) +
               " (" + to_string(missing) +
               " would not be understood); pair codec.dump with sink.restore and codec.struct "
               "with sink.struct");
  }

  // "source" (one) or "sources" (a non-empty list), not both.
  void read_sources(const json& stages, PipelineSpec& pipeline) {
    const auto one = stages.find("source");
    const auto many = stages.find("sources");
    if (one != stages.end() && many != stages.end()) {
      report("/stages", "both 'source' and 'sources' given; keep one");
    } else if (one != stages.end()) {
      read_stage(kSourceRule, *one, "/stages/source", pipeline.sources.emplace_back());
    } else if (many != stages.end()) {
      read_stage_list(kSourceRule, *many, "/stages/sources", pipeline.sources);
      if (many->is_array() && many->empty()) report("/stages/sources", "needs at least one source");
    } else {
      report("/stages", "missing required stage 'source' (or 'sources')");
    }
  }

  void read_stage_list(const StageRule& rule, const json& list, const std::string& pointer,
                       std::vector<StageSpec>& specs) {
    if (!expect_type(list, "array", pointer)) return;
    for (std::size_t i = 0; i < list.size(); ++i) {
      read_stage(rule, list[i], pointer + "/" + std::to_string(i), specs.emplace_back());
    }
  }

  void read_required_stage(const json& stages, const StageRule& rule, StageSpec& spec) {
    const auto stage = stages.find(rule.name);
    if (stage == stages.end()) {
      report("/stages", "missing required stage '" + std::string(rule.name) + "'");
    } else {
      read_stage(rule, *stage, child_pointer("/stages", rule.name), spec);
    }
  }

  void read_runtime(const json& runtime, RuntimeSettings& settings) {
    report_unknown_keys(runtime, {"event_order", "event_queue", "idle_timeout_ms", "ordered"},
                        "/runtime", "");
    if (const auto ordered = runtime.find("ordered"); ordered != runtime.end()) {
      if (expect_type(*ordered, "boolean", "/runtime/ordered")) settings.ordered = *ordered;
    }
    settings.event_queue =
        read_setting(runtime, {"event_queue", kMaxEventQueue, kDefaultEventQueue}, "/runtime");
    if (const auto order = runtime.find("event_order"); order != runtime.end()) {
      if (expect_type(*order, "string", "/runtime/event_order")) {
        const std::string name = order->get<std::string>();
        if (name == kEventOrders[1]) {
          settings.event_order = EventOrder::priority;
        } else if (name != kEventOrders[0]) {
          report("/runtime/event_order",
                 "unknown event order '" + name + "'; allowed: " +
                     join_list({std::string(kEventOrders[0]), std::string(kEventOrders[1])}));
        }
      }
    }
    if (const auto idle = runtime.find("idle_timeout_ms"); idle != runtime.end()) {
      if (expect_type(*idle, "integer", "/runtime/idle_timeout_ms")) {
        const double value = idle->get<double>();
        if (value < 0 || value > static_cast<double>(kMaxIdleTimeoutMs)) {
          report("/runtime/idle_timeout_ms", "must be between 0 (no timeout) and " +
                                                 std::to_string(kMaxIdleTimeoutMs) + "; got " +
                                                 value_text(*idle));
        } else {
          settings.idle_timeout = std::chrono::milliseconds(static_cast<std::int64_t>(value));
        }
      }
    }
  }

  void read_stage(const StageRule& rule, const json& stage, const std::string& pointer,
                  StageSpec& spec) {
    if (!expect_type(stage, "object", pointer)) return;
    if (rule.parallel) {
      report_unknown_keys(stage,
                          {"batch_bytes", "batch_size", "component", "config", "queue_bytes",
                           "queue_capacity", "threads"},
                          pointer, "");
      spec.threads = static_cast<int>(read_setting(stage, kThreads, pointer));
      spec.batch_size = read_setting(stage, kBatchSize, pointer);
      spec.queue_capacity = read_setting(stage, kQueueCapacity, pointer);
      spec.batch_bytes = read_setting(stage, kBatchBytes, pointer);
      spec.queue_bytes = read_setting(stage, kQueueBytes, pointer);
    } else {
      report_unknown_keys(stage, {"component", "config"}, pointer,
                          " (threads, batch_size, batch_bytes, queue_capacity and queue_bytes "
                          "apply to the reader and sink stages only)");
    }

    const auto component = stage.find("component");
    if (component == stage.end()) {
      report(pointer, "missing required key 'component'");
    } else if (expect_type(*component, "string", pointer + "/component")) {
      spec.component = component->get<std::string>();
      spec.resolved = resolve(rule, spec.component, pointer + "/component");
    }

    const auto config = stage.find("config");
    spec.config = config == stage.end() ? json::object() : *config;
    if (!expect_type(spec.config, "object", pointer + "/config")) return;
    if (spec.resolved != nullptr)
      check_config(*spec.resolved->info, spec.config, pointer + "/config");
  }

  // The schema first, then the component's own check, which parses the
  // configuration as its factory will: whatever the factory would refuse is
  // refused here, before anything connects. The check sees only a
  // configuration its schema accepts, as the factory does.
  void check_config(const ComponentInfo& component, json& config, const std::string& pointer) {
    const std::size_t errors_before = errors_.size();
    validate_against_schema(component.schema, config, pointer, errors_);
    if (errors_.size() != errors_before || !component.check) return;
    try {
      component.check(config);
    } catch (const std::invalid_argument& error) {
      report(pointer, error.what());
    } catch (const std::exception& error) {
      report(pointer, "the check of component '" + component.name + "' failed: " + error.what());
    }
  }

  // An integer from 1 to the setting's maximum, or its default when absent.
  std::size_t read_setting(const json& stage, const Setting& setting, const std::string& pointer) {
    const auto value = stage.find(setting.key);
    if (value == stage.end()) return setting.default_value;
    const std::string value_pointer = child_pointer(pointer, setting.key);
    if (!expect_type(*value, "integer", value_pointer)) return setting.default_value;
    const double number = value->get<double>();
    if (number < 1 || number > static_cast<double>(setting.maximum)) {
      report(value_pointer, "must be between 1 and " + std::to_string(setting.maximum) + "; got " +
                                value_text(*value));
      return setting.default_value;
    }
    return static_cast<std::size_t>(number);
  }

  const LoadedComponent* resolve(const StageRule& rule, const std::string& name,
                                 const std::string& pointer) {
    const LoadedComponent* component = registry_.find(name);
    if (component == nullptr) {
      report(pointer, "unknown component '" + name + "'; " + suggestions(rule, name));
      return nullptr;
    }
    if (component->info->kind() != rule.kind) {
      report(pointer, "component '" + name + "' is a " + kind_name(component->info->kind()) +
                          ", but the " + std::string(rule.name) + " stage needs a " +
                          kind_name(rule.kind));
      return nullptr;
    }
    return component;
  }

  // The nearest names when the name looks like a typo, otherwise every
  // component the stage could run.
  std::string suggestions(const StageRule& rule, const std::string& name) const {
    const std::vector<std::string> nearest = registry_.nearest_names(name);
    if (!nearest.empty()) return "did you mean: " + join_list(nearest);
    std::vector<std::string> candidates;
    for (const LoadedComponent* component : registry_.components()) {
      if (component->info->kind() == rule.kind) candidates.push_back(component->info->name);
    }
    const std::string kind = kind_name(rule.kind);
    if (candidates.empty()) return "no " + kind + " components are loaded";
    return "available " + kind + " components: " + join_list(candidates);
  }

  const PluginRegistry& registry_;
  ValidationErrors& errors_;
};

json runtime_document(const RuntimeSettings& runtime) {
  return {
      {"ordered", runtime.ordered},
      {"event_queue", runtime.event_queue},
      {"event_order", std::string(kEventOrders[runtime.event_order == EventOrder::fifo ? 0 : 1])},
      {"idle_timeout_ms", runtime.idle_timeout.count()}};
}

json stage_document(const StageRule& rule, const StageSpec& stage) {
  json document{{"component", stage.component},
                {"config", stage.config.is_null() ? json::object() : stage.config}};
  if (rule.parallel) {
    document["threads"] = stage.threads;
    document["batch_size"] = stage.batch_size;
    document["queue_capacity"] = stage.queue_capacity;
    document["batch_bytes"] = stage.batch_bytes;
    document["queue_bytes"] = stage.queue_bytes;
  }
  return document;
}

}  // namespace

PipelineValidation validate_pipeline(const json& document, const PluginRegistry& registry) {
  PipelineValidation validation;
  DocumentReader(registry, validation.errors).read(document, validation.pipeline);
  for (const LoadedComponent* component : registry.components()) {
    if (component->info->kind() == ComponentKind::datatype)
      validation.pipeline.datatypes.push_back(component);
  }
  return validation;
}

json to_document(const PipelineSpec& spec) {
  json stages = json::object();
  if (spec.sources.size() == 1) {
    stages["source"] = stage_document(kSourceRule, spec.sources.front());
  } else {
    stages["sources"] = json::array();
    for (const StageSpec& source : spec.sources)
      stages["sources"].push_back(stage_document(kSourceRule, source));
  }
  if (!spec.reconcile.empty()) {
    stages["reconcile"] = json::array();
    for (const StageSpec& source : spec.reconcile)
      stages["reconcile"].push_back(stage_document(kReconcileRule, source));
  }
  stages["reader"] = stage_document(kReaderRule, spec.reader);
  stages["sink"] = stage_document(kSinkRule, spec.sink);
  json document{{"version", kPipelineVersion}, {"stages", std::move(stages)}};
  // A snapshot's document stays as short as it was.
  if (!(spec.runtime == RuntimeSettings{})) document["runtime"] = runtime_document(spec.runtime);
  return document;
}

}  // namespace riot::host
