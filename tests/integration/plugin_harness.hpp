#pragma once
// The bundled plugins driven directly through their factories, without the
// runtime: loaded from the build's plugin directory as riot loads them,
// configured through their own schemas, given a host that records what they
// report.

#include <gtest/gtest.h>
#include <spdlog/sinks/ringbuffer_sink.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <atomic>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>
#include <stdexcept>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "riot/host/plugin_registry.hpp"
#include "riot/host/schema_validator.hpp"
#include "riot/plugin.hpp"

namespace riot::test {

using nlohmann::json;

struct ReportedFailure {
  std::string key;
  std::string error;
};

// A KeyDifference as a comparator reported it, with its strings kept.
struct RecordedDifference {
  std::string key;
  DifferenceClass difference = DifferenceClass::value;
  std::string detail;
  std::string source_type;
  std::string target_type;
  std::int64_t source_ttl_ms = -2;
  std::int64_t target_ttl_ms = -2;
  bool changed_during_comparison = false;
};

// What comparators reported: the keys found equal and the differences.
struct RecordedOutcomes {
  std::uint64_t equal = 0;
  std::uint64_t equal_after_recheck = 0;
  std::vector<RecordedDifference> differences;

  // The differences by key, for assertions that ignore report order.
  const RecordedDifference* find(std::string_view key) const {
    for (const RecordedDifference& difference : differences)
      if (difference.key == key) return &difference;
    return nullptr;
  }
  std::size_t count(DifferenceClass difference) const {
    return static_cast<std::size_t>(
        std::count_if(differences.begin(), differences.end(),
                      [&](const RecordedDifference& d) { return d.difference == difference; }));
  }
};

// What the host gives components, recording what they report.
class TestHost final : public HostContext {
 public:
  TestHost() { logger_.set_level(spdlog::level::trace); }  // formats every debug line

  spdlog::logger& logger() override { return logger_; }
  Metrics& metrics() override { return metrics_; }
  const CancellationToken& cancellation() const override { return cancellation_; }
  void report_failure(std::string_view key, std::string_view error) override {
    std::lock_guard lock(mutex_);
    Metrics::add(metrics_.keys_failed, 1);
    failures_.push_back({std::string(key), std::string(error)});
  }

  void report_equal(std::uint64_t keys, std::uint64_t after_recheck) override {
    std::lock_guard lock(mutex_);
    outcomes_.equal += keys;
    outcomes_.equal_after_recheck += after_recheck;
  }
  void report_difference(const KeyDifference& difference) override {
    std::lock_guard lock(mutex_);
    outcomes_.differences.push_back(
        {std::string(difference.key), difference.difference, std::string(difference.detail),
         std::string(difference.source_type), std::string(difference.target_type),
         difference.source_ttl_ms, difference.target_ttl_ms, difference.changed_during_comparison});
  }

  void request_reconciliation(std::string_view reason) override {
    std::lock_guard lock(mutex_);
    reconciliations_.emplace_back(reason);
  }

  // The datatype of the registry's plugins that serves `type_name`, created
  // on first use and kept as long as the host (as the runtime does).
  const Datatype* datatype(std::string_view type_name) override;

  void cancel() { cancellation_.cancel(); }
  RecordedOutcomes outcomes() const {
    std::lock_guard lock(mutex_);
    return outcomes_;
  }
  std::vector<ReportedFailure> failures() const {
    std::lock_guard lock(mutex_);
    return failures_;
  }
  // The reasons of the reconciliations requested, in order.
  std::vector<std::string> reconciliations() const {
    std::lock_guard lock(mutex_);
    return reconciliations_;
  }
  // The last messages logged at `level` or above, one a line.
  std::string logged(spdlog::level::level_enum level) const {
    std::string text;
    for (const spdlog::details::log_msg_buffer& message : log_->last_raw()) {
      if (message.level < level) continue;
      text.append(message.payload.data(), message.payload.size());
      text += '\n';
    }
    return text;
  }

 private:
  static constexpr std::size_t kLinesKept = 1000;
  std::shared_ptr<spdlog::sinks::ringbuffer_sink_mt> log_ =
      std::make_shared<spdlog::sinks::ringbuffer_sink_mt>(kLinesKept);
  spdlog::logger logger_{"test", log_};
  Metrics metrics_;
  CancellationToken cancellation_;
  mutable std::mutex mutex_;
  std::vector<ReportedFailure> failures_;
  std::vector<std::string> reconciliations_;
  RecordedOutcomes outcomes_;
  std::vector<std::pair<std::string, std::unique_ptr<Datatype>>> datatypes_;
};

// Loaded once and kept until exit, after every component the tests create.
inline const host::PluginRegistry& registry() {
  static const auto instance = [] {
    auto plugins = std::make_unique<host::PluginRegistry>();
    for (const std::string name :
         {"scan", "dump", "restore", "null", "keyspace", "struct", "stream", "compare"}) {
      const auto file = std::filesystem::path(RIOT_PLUGIN_DIR) / ("riot-plugin-" + name + ".so");
      if (std::filesystem::exists(file)) plugins->load_file(file);
    }
    return plugins;
  }();
  return *instance;
}

inline const ComponentInfo& component(std::string_view name) {
  const host::LoadedComponent* loaded = registry().find(name);
  if (loaded == nullptr) throw std::runtime_error("component not registered: " + std::string(name));
  return *loaded->info;
}

// Validates `config` as the host does (filling in defaults), then creates the
// component through its factory.
template <typename Factory>
auto create(std::string_view name, json config, TestHost& host) {
  const ComponentInfo& info = component(name);
  host::ValidationErrors errors;
  host::validate_against_schema(info.schema, config, "", errors);
  if (!errors.empty()) {
    throw std::invalid_argument(std::string(name) + ": " + errors[0].to_string());
  }
  return std::get<Factory>(info.factory)(config, host);
}

inline std::unique_ptr<Source> make_scan(json config, TestHost& host) {
  return create<SourceFactory>("source.scan", std::move(config), host);
}
inline std::unique_ptr<Reader> make_dump(json config, TestHost& host) {
  return create<ReaderFactory>("codec.dump", std::move(config), host);
}
inline std::unique_ptr<Sink> make_restore(json config, TestHost& host) {
  return create<SinkFactory>("sink.restore", std::move(config), host);
}

inline std::unique_ptr<Reader> make_reader(std::string_view name, json config, TestHost& host) {
  return create<ReaderFactory>(name, std::move(config), host);
}
inline std::unique_ptr<Comparator> make_comparator(json config, TestHost& host) {
  return create<ComparatorFactory>("comparator.redis", std::move(config), host);
}

inline const Datatype* TestHost::datatype(std::string_view type_name) {
  std::lock_guard lock(mutex_);
  for (const auto& [name, datatype] : datatypes_)
    if (name == type_name) return datatype.get();
  const host::LoadedComponent* loaded = registry().find(datatype_component_name(type_name));
  if (loaded == nullptr || loaded->info->kind() != ComponentKind::datatype) return nullptr;
  auto created = std::get<DatatypeFactory>(loaded->info->factory)(json::object(), *this);
  return datatypes_.emplace_back(std::string(type_name), std::move(created)).second.get();
}

// Reads `keys` as the runtime does and appends every record to `records` in
// the order a sink would receive them: those handed over early (the chunks
// of a big key) first, then what read() left in its output.
inline void read_all(Reader& reader, KeyBatch& keys, RecordBatch& records) {
  class Collect final : public RecordBatchWriter {
   public:
    explicit Collect(RecordBatch& into) : into_(into) {}
    bool hand_over(RecordBatch& handed) override {
      for (Record& record : handed) into_.push_back(std::move(record));
      handed.clear();
      return true;
    }

   private:
    RecordBatch& into_;
  } early(records);
  RecordBatch rest;
  reader.read(keys, rest, early);
  for (Record& record : rest) records.push_back(std::move(record));
}

// Hands `records` to `comparator` in batches of `batch_size` (the chunks of
// a big key then spread over several batches, as the runtime may send
// them), then flushes it.
inline void compare_all(Comparator& comparator, RecordBatch& records, std::size_t batch_size) {
  for (std::size_t at = 0; at < records.size(); at += batch_size) {
    RecordBatch batch;
    for (std::size_t i = at; i < std::min(records.size(), at + batch_size); ++i)
      batch.push_back(std::move(records[i]));
    comparator.compare(batch);
  }
  comparator.flush();
}

// Collects what a source emits; refuses further batches after `accept`.
class CollectingWriter final : public KeyBatchWriter {
 public:
  explicit CollectingWriter(std::size_t accept = SIZE_MAX) : accept_(accept) {}

  bool push(KeyBatch&& batch) override {
    batches.push_back(std::move(batch));
    if (on_push) on_push();
    return batches.size() < accept_;
  }

  bool finish_requested() const override { return finish.load(); }

  std::vector<std::string> sorted_keys() const {
    std::vector<std::string> keys;
    for (const KeyBatch& batch : batches) {
      for (const KeyEvent& event : batch) keys.push_back(event.key);
    }
    std::sort(keys.begin(), keys.end());
    return keys;
  }

  std::vector<KeyBatch> batches;
  std::function<void()> on_push;
  std::atomic<bool> finish{false};  // what an idle timeout or a signal sets in a run

 private:
  std::size_t accept_;
};

// Connects `source` and runs its partitions one after the other (the host
// runs them on threads of their own; one thread keeps the writer simple).
inline void run_every_partition(Source& source, KeyBatchWriter& out) {
  source.connect();
  for (std::size_t partition = 0; partition < source.partition_count(); ++partition) {
    source.run(partition, out);
  }
}

inline KeyBatch key_batch(const std::vector<std::string>& keys) {
  KeyBatch batch;
  for (const std::string& key : keys) batch.push_back(KeyEvent{.key = key});
  return batch;
}

}  // namespace riot::test
