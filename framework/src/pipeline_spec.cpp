// Reading and writing the pipeline document (see pipeline_spec.hpp and
// docs/pipeline.md). Validation goes on past the first problem so that one
// run of `riot validate` lists everything there is to fix.

#include "riot/host/pipeline_spec.hpp"

#include <algorithm>
#include <stdexcept>
#include <string_view>

#include "riot/host/schema_validator.hpp"
#include "riot/host/secret_references.hpp"
#include "schema_json_pointer.hpp"
#include "schema_types.hpp"
#include "writable_path.hpp"

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
  // Whether the stage may say which database it walks ("walks").
  bool walks_either_side = false;
};

constexpr StageRule kSourceRule{"source", ComponentKind::source, false};
constexpr StageRule kReconcileRule{"reconcile", ComponentKind::source, false, true};
constexpr StageRule kTransformRule{"transforms", ComponentKind::transform, false};
constexpr StageRule kReaderRule{"reader", ComponentKind::reader, true};
constexpr StageRule kSinkRule{"sink", ComponentKind::sink, true};
constexpr StageRule kComparatorRule{"comparator", ComponentKind::comparator, true};
constexpr StageRule kExtrasSourceRule{"extras source", ComponentKind::source, false};
constexpr StageRule kExtrasReaderRule{"extras reader", ComponentKind::reader, true};
constexpr StageRule kRepairReaderRule{"repair reader", ComponentKind::reader, true};
constexpr StageRule kRepairSinkRule{"repair sink", ComponentKind::sink, true};

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

  // Either form: `{"version", "pipelines": [...]}` or one pipeline whose
  // object is the document itself.
  void read(const json& document, DocumentSpec& spec) {
    if (!expect_type(document, "object", "")) return;
    if (const auto version = document.find("version"); version != document.end()) {
      if (expect_type(*version, "integer", "/version") && *version != kPipelineVersion) {
        report("/version", "unsupported version " + value_text(*version) +
                               "; this riot reads version " + std::to_string(kPipelineVersion));
      }
    }
    const auto pipelines = document.find("pipelines");
    if (pipelines == document.end()) {
      spec.single_form = true;
      report_unknown_keys(document, {"comparison", "name", "runtime", "stages", "version"}, "", "");
      read_pipeline(document, 0, spec.pipelines.emplace_back());
      return;
    }
    spec.single_form = false;
    report_unknown_keys(document, {"pipelines", "version"}, "",
                        " ('stages' and 'runtime' go inside each pipeline of 'pipelines')");
    if (!expect_type(*pipelines, "array", "/pipelines")) return;
    if (pipelines->empty()) report("/pipelines", "needs at least one pipeline");
    for (std::size_t i = 0; i < pipelines->size(); ++i) {
      base_ = child_pointer("/pipelines", i);
      const json& pipeline = (*pipelines)[i];
      if (!expect_type(pipeline, "object", "")) continue;
      report_unknown_keys(pipeline, {"comparison", "name", "runtime", "stages"}, "", "");
      read_pipeline(pipeline, i, spec.pipelines.emplace_back());
    }
    base_.clear();
    check_unique_names(spec);
  }

  void read(const json& document, PipelineSpec& pipeline) {
    DocumentSpec spec;
    read(document, spec);
    if (!spec.pipelines.empty()) pipeline = std::move(spec.pipelines.front());
    if (!spec.single_form) report("/pipelines", "expected one pipeline, got a list");
  }

 private:
  void read_pipeline(const json& document, std::size_t index, PipelineSpec& pipeline) {
    pipeline.name = "pipeline " + std::to_string(index + 1);
    if (const auto name = document.find("name"); name != document.end()) {
      if (expect_type(*name, "string", "/name")) {
        if (name->get<std::string>().empty()) {
          report("/name", "must not be empty");
        } else {
          pipeline.name = name->get<std::string>();
        }
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
    if (const auto comparison = document.find("comparison"); comparison != document.end()) {
      const bool has_comparator =
          stages != document.end() && stages->is_object() && stages->contains("comparator");
      if (!has_comparator) {
        report("/comparison", "'comparison' applies only to a pipeline with a 'comparator' stage");
      } else if (expect_type(*comparison, "object", "/comparison")) {
        read_comparison(*comparison, pipeline.comparison);
      }
    }
  }

  void check_unique_names(const DocumentSpec& spec) {
    for (std::size_t i = 0; i < spec.pipelines.size(); ++i) {
      for (std::size_t j = 0; j < i; ++j) {
        if (spec.pipelines[i].name != spec.pipelines[j].name) continue;
        report(child_pointer("/pipelines", i) + "/name",
               "pipeline name '" + spec.pipelines[i].name + "' is already the name of " +
                   child_pointer("/pipelines", j) + "; names must be unique");
        break;
      }
    }
  }

  void read_comparison(const json& comparison, ComparisonSettings& settings) {
    report_unknown_keys(comparison, {"diff_report", "show_diffs"}, "/comparison", "");
    if (const auto show = comparison.find("show_diffs"); show != comparison.end()) {
      if (expect_type(*show, "boolean", "/comparison/show_diffs")) settings.show_diffs = *show;
    }
    if (const auto report_path = comparison.find("diff_report"); report_path != comparison.end()) {
      if (!expect_type(*report_path, "string", "/comparison/diff_report")) return;
      settings.diff_report = report_path->get<std::string>();
      if (std::optional<std::string> problem = unwritable_file(settings.diff_report)) {
        report("/comparison/diff_report",
               "cannot create the diff report '" + settings.diff_report + "': " + *problem);
      }
    }
  }

 private:
  // `pointer` is within the pipeline being read; the document's pointer
  // starts with the pipeline's place in the list.
  void report(const std::string& pointer, std::string message) {
    errors_.push_back({base_ + pointer, std::move(message)});
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
    report_unknown_keys(stages,
                        {"comparator", "extras", "reader", "reconcile", "repair", "sink", "source",
                         "sources", "transforms"},
                        "/stages", "");
    read_sources(stages, pipeline);
    if (const auto reconcile = stages.find("reconcile"); reconcile != stages.end()) {
      read_stage_list(kReconcileRule, *reconcile, "/stages/reconcile", pipeline.reconcile);
    }
    if (const auto transforms = stages.find("transforms"); transforms != stages.end()) {
      read_stage_list(kTransformRule, *transforms, "/stages/transforms", pipeline.transforms);
    }
    read_required_stage(stages, kReaderRule, pipeline.reader);
    const bool has_sink = stages.contains("sink");
    const bool has_comparator = stages.contains("comparator");
    if (has_sink && has_comparator) {
      report("/stages",
             "both 'sink' and 'comparator' given; a pipeline writes or compares, keep one");
    } else if (has_comparator) {
      read_stage(kComparatorRule, stages["comparator"], "/stages/comparator", pipeline.comparator);
      // An unresolved comparator still makes a comparing pipeline, so that
      // its extras and repair are checked too.
      if (pipeline.comparator.component.empty()) pipeline.comparator.component = "?";
      check_record_forms(pipeline.reader, "/stages/reader", pipeline.comparator,
                         "/stages/comparator");
    } else if (has_sink) {
      read_stage(kSinkRule, stages["sink"], "/stages/sink", pipeline.sink);
      check_record_forms(pipeline.reader, "/stages/reader", pipeline.sink, "/stages/sink");
    } else {
      report("/stages", "missing required stage 'sink' (or 'comparator')");
    }
    read_comparison_stages(stages, has_comparator, pipeline);
  }

  // `extras` and `repair`: the passes of a comparing pipeline after the
  // comparison itself.
  void read_comparison_stages(const json& stages, bool compares, PipelineSpec& pipeline) {
    const auto extras = stages.find("extras");
    const auto repair = stages.find("repair");
    for (const auto& [found, name] : {std::pair{extras, "extras"}, std::pair{repair, "repair"}}) {
      if (found != stages.end() && !compares) {
        report(child_pointer("/stages", name), "'" + std::string(name) +
                                                   "' applies only to a pipeline with a "
                                                   "'comparator' stage");
      }
    }
    if (!compares) return;
    if (extras != stages.end() && expect_type(*extras, "object", "/stages/extras")) {
      report_unknown_keys(*extras, {"reader", "source"}, "/stages/extras", "");
      ExtrasSpec& spec = pipeline.extras.emplace();
      read_required_stage(*extras, "/stages/extras", kExtrasSourceRule, "source", spec.source);
      read_required_stage(*extras, "/stages/extras", kExtrasReaderRule, "reader", spec.reader);
      check_record_forms(spec.reader, "/stages/extras/reader", pipeline.comparator,
                         "/stages/comparator");
    }
    if (repair != stages.end() && expect_type(*repair, "object", "/stages/repair")) {
      report_unknown_keys(*repair, {"extra", "reader", "sink"}, "/stages/repair", "");
      RepairSpec& spec = pipeline.repair.emplace();
      read_required_stage(*repair, "/stages/repair", kRepairReaderRule, "reader", spec.reader);
      read_required_stage(*repair, "/stages/repair", kRepairSinkRule, "sink", spec.sink);
      if (const auto extra = repair->find("extra"); extra != repair->end()) {
        if (expect_type(*extra, "boolean", "/stages/repair/extra")) spec.extra = *extra;
      }
      check_record_forms(spec.reader, "/stages/repair/reader", spec.sink, "/stages/repair/sink");
    }
  }

  // Every record form the reader produces must be one the sink or comparator
  // accepts (codec.dump's DUMP payloads mean nothing to sink.struct).
  void check_record_forms(const StageSpec& reader, const std::string& reader_pointer,
                          const StageSpec& consumer, const std::string& consumer_pointer) {
    if (reader.resolved == nullptr || consumer.resolved == nullptr) return;
    const RecordForms produced = reader.resolved->info->produces;
    const RecordForms accepted = consumer.resolved->info->accepts;
    const RecordForms missing = produced.missing_from(accepted);
    if (missing.empty()) return;
    const std::string kind = kind_name(consumer.resolved->info->kind());
    report(consumer_pointer + "/component",
           kind + " '" + consumer.component + "' accepts " + to_string(accepted) +
               " records, but reader '" + reader.component + "' (" + base_ + reader_pointer +
               ") produces " + to_string(produced) + " (" + to_string(missing) +
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
    read_required_stage(stages, "/stages", rule, rule.name, spec);
  }

  void read_required_stage(const json& stages, const std::string& pointer, const StageRule& rule,
                           std::string_view key, StageSpec& spec) {
    const auto stage = stages.find(key);
    if (stage == stages.end()) {
      report(pointer, "missing required stage '" + std::string(key) + "'");
    } else {
      read_stage(rule, *stage, child_pointer(pointer, key), spec);
    }
  }

  void read_runtime(const json& runtime, RuntimeSettings& settings) {
    report_unknown_keys(
        runtime,
        {"event_order", "event_queue", "idle_timeout_ms", "ordered", "rate_bytes", "rate_keys"},
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
    settings.rate_keys = read_rate(runtime, "rate_keys", kMaxRateKeys);
    settings.rate_bytes = read_rate(runtime, "rate_bytes", kMaxRateBytes);
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
    } else if (rule.walks_either_side) {
      report_unknown_keys(stage, {"component", "config", "walks"}, pointer,
                          " (threads, batch_size, batch_bytes, queue_capacity and queue_bytes "
                          "apply to the reader, sink and comparator stages only)");
      spec.walks_target = read_walks(stage, pointer);
    } else {
      report_unknown_keys(stage, {"component", "config"}, pointer,
                          " (threads, batch_size, batch_bytes, queue_capacity and queue_bytes "
                          "apply to the reader, sink and comparator stages only)");
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

  // A reconciliation source's "walks": "source" (the default) or "target".
  bool read_walks(const json& stage, const std::string& pointer) {
    const auto walks = stage.find("walks");
    if (walks == stage.end()) return false;
    if (!expect_type(*walks, "string", pointer + "/walks")) return false;
    if (*walks == "target") return true;
    if (*walks != "source") {
      report(pointer + "/walks",
             "unknown value " + value_text(*walks) + "; allowed: \"source\", \"target\"");
    }
    return false;
  }

  // The schema first, then the component's own check, which parses the
  // configuration as its factory will: whatever the factory would refuse is
  // refused here, before anything connects. The check sees only a
  // configuration its schema accepts, as the factory does.
  void check_config(const ComponentInfo& component, json& config, const std::string& pointer) {
    const std::size_t errors_before = errors_.size();
    validate_against_schema(component.schema, config, base_ + pointer, errors_);
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

  // A rate limit: absent or 0 for none.
  std::uint64_t read_rate(const json& runtime, std::string_view key, std::uint64_t maximum) {
    const auto value = runtime.find(key);
    if (value == runtime.end()) return 0;
    const std::string pointer = child_pointer("/runtime", key);
    if (!expect_type(*value, "integer", pointer)) return 0;
    const double number = value->get<double>();
    if (number < 0 || number > static_cast<double>(maximum)) {
      report(pointer, "must be between 0 (no limit) and " + std::to_string(maximum) +
                          " per second; got " + value_text(*value));
      return 0;
    }
    return static_cast<std::uint64_t>(number);
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
  std::string base_;  // the pointer of the pipeline being read: "" or "/pipelines/N"
};

json runtime_document(const RuntimeSettings& runtime) {
  json document{
      {"ordered", runtime.ordered},
      {"event_queue", runtime.event_queue},
      {"event_order", std::string(kEventOrders[runtime.event_order == EventOrder::fifo ? 0 : 1])},
      {"idle_timeout_ms", runtime.idle_timeout.count()}};
  // Only when set: documents without limits print as they always did.
  if (runtime.rate_keys > 0) document["rate_keys"] = runtime.rate_keys;
  if (runtime.rate_bytes > 0) document["rate_bytes"] = runtime.rate_bytes;
  return document;
}

json stage_document(const StageRule& rule, const StageSpec& stage) {
  json document{{"component", stage.component},
                {"config", stage.config.is_null() ? json::object() : stage.config}};
  if (stage.walks_target) document["walks"] = "target";
  if (rule.parallel) {
    document["threads"] = stage.threads;
    document["batch_size"] = stage.batch_size;
    document["queue_capacity"] = stage.queue_capacity;
    document["batch_bytes"] = stage.batch_bytes;
    document["queue_bytes"] = stage.queue_bytes;
  }
  return document;
}

// Every datatype component loaded: components find them by Redis type name.
void attach_datatypes(PipelineSpec& pipeline, const PluginRegistry& registry) {
  for (const LoadedComponent* component : registry.components()) {
    if (component->info->kind() == ComponentKind::datatype) pipeline.datatypes.push_back(component);
  }
}

json pipeline_document(const PipelineSpec& spec) {
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
  if (!spec.transforms.empty()) {
    stages["transforms"] = json::array();
    for (const StageSpec& transform : spec.transforms)
      stages["transforms"].push_back(stage_document(kTransformRule, transform));
  }
  stages["reader"] = stage_document(kReaderRule, spec.reader);
  json document = json::object();
  if (!spec.compares()) {
    stages["sink"] = stage_document(kSinkRule, spec.sink);
  } else {
    stages["comparator"] = stage_document(kComparatorRule, spec.comparator);
    if (spec.extras) {
      stages["extras"] = {{"source", stage_document(kExtrasSourceRule, spec.extras->source)},
                          {"reader", stage_document(kExtrasReaderRule, spec.extras->reader)}};
    }
    if (spec.repair) {
      stages["repair"] = {{"reader", stage_document(kRepairReaderRule, spec.repair->reader)},
                          {"sink", stage_document(kRepairSinkRule, spec.repair->sink)},
                          {"extra", spec.repair->extra}};
    }
    document["comparison"] = {{"show_diffs", spec.comparison.show_diffs}};
    if (!spec.comparison.diff_report.empty())
      document["comparison"]["diff_report"] = spec.comparison.diff_report;
  }
  document["stages"] = std::move(stages);
  // A snapshot's document stays as short as it was.
  if (!(spec.runtime == RuntimeSettings{})) document["runtime"] = runtime_document(spec.runtime);
  return document;
}

}  // namespace

PipelineValidation validate_pipeline(const json& document, const PluginRegistry& registry) {
  PipelineValidation validation;
  DocumentReader(registry, validation.errors).read(document, validation.pipeline);
  attach_datatypes(validation.pipeline, registry);
  return validation;
}

DocumentValidation validate_document(const json& document, const PluginRegistry& registry) {
  DocumentValidation validation;
  // References first: the schemas judge the values they stand for. An
  // unresolved one would only add a misleading schema error at its pointer.
  SecretResolution secrets = resolve_secret_references(document);
  if (!secrets.ok()) {
    validation.errors = std::move(secrets.errors);
    return validation;
  }
  DocumentReader(registry, validation.errors).read(secrets.document, validation.document);
  for (PipelineSpec& pipeline : validation.document.pipelines) attach_datatypes(pipeline, registry);
  validation.document.secret_references = std::move(secrets.references);
  return validation;
}

json to_document(const PipelineSpec& spec) {
  json document{{"version", kPipelineVersion}};
  document.update(pipeline_document(spec));
  // The default name goes without saying.
  if (!spec.name.empty() && spec.name != "pipeline 1") document["name"] = spec.name;
  return document;
}

json to_document(const DocumentSpec& spec) {
  json document;
  if (spec.single_form && spec.pipelines.size() == 1) {
    document = to_document(spec.pipelines.front());
  } else {
    json pipelines = json::array();
    for (const PipelineSpec& pipeline : spec.pipelines) {
      json entry{{"name", pipeline.name}};
      entry.update(pipeline_document(pipeline));
      pipelines.push_back(std::move(entry));
    }
    document = {{"version", kPipelineVersion}, {"pipelines", std::move(pipelines)}};
  }
  // The form it was read in keeps every pointer, so each reference finds
  // its place again: the printed document holds no secret it was given by
  // reference.
  restore_secret_references(document, spec.secret_references);
  return document;
}

}  // namespace riot::host
