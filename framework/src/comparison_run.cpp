// A comparing pipeline's passes, each an ordinary run of the runtime:
//
//   1. compare:   sources -> reader -> comparator
//   2. extras:    extras.source (a walk of the target) -> extras.reader -> comparator
//   3. repair:    the keys found different -> repair.reader -> repair.sink
//   4. recompare: the same keys -> reader -> comparator
//
// The outcomes of the repaired keys are replaced by those of the recompare,
// so that the counts returned are the final ones.

#include <spdlog/spdlog.h>

#include <iostream>
#include <memory>

#include "comparison_outcomes.hpp"
#include "listed_keys_source.hpp"
#include "pipeline_pass.hpp"
#include "run_summary_sum.hpp"
#include "runtime_units.hpp"

namespace riot::host {

namespace {

// The pipeline with its sources, reader and end stage replaced: the other
// passes' stages are the document's own, with its runtime settings.
PipelineSpec pass_spec(const PipelineSpec& pipeline) {
  PipelineSpec pass;
  pass.name = pipeline.name;
  pass.runtime = pipeline.runtime;
  pass.datatypes = pipeline.datatypes;
  pass.transforms = pipeline.transforms;  // every pass selects and names keys alike
  return pass;
}

ComparisonCounts minus(ComparisonCounts counts, const ComparisonCounts& removed) {
  counts.ok -= std::min(counts.ok, removed.ok);
  counts.missing -= std::min(counts.missing, removed.missing);
  counts.extra -= std::min(counts.extra, removed.extra);
  counts.type -= std::min(counts.type, removed.type);
  counts.value -= std::min(counts.value, removed.value);
  counts.ttl -= std::min(counts.ttl, removed.ttl);
  return counts;
}

ComparisonCounts plus(ComparisonCounts counts, const ComparisonCounts& added) {
  counts.ok += added.ok;
  counts.missing += added.missing;
  counts.extra += added.extra;
  counts.type += added.type;
  counts.value += added.value;
  counts.ttl += added.ttl;
  return counts;
}

class ComparisonRun {
 public:
  ComparisonRun(const PipelineSpec& spec, const RunOptions& options, CancellationToken& cancel)
      : spec_(spec),
        options_(options),
        cancel_(cancel),
        outcomes_(spec, std::cout),
        rates_(std::make_shared<PipelineRateLimits>(spec.runtime)) {}

  RunSummary run() {
    total_.pipeline = spec_.name;
    try {
      outcomes_.open_report();
    } catch (const std::exception& error) {
      total_.refused = error.what();
      return total_;
    }
    compare();
    if (spec_.extras && may_go_on(total_)) compare_extras();
    ComparisonSummary& comparison = total_.comparison.emplace();
    comparison.counts = outcomes_.counts();
    comparison.equal_after_recheck = outcomes_.equal_after_recheck();
    comparison.changed_during_comparison = outcomes_.changed_during_comparison();
    if (spec_.repair && may_go_on(total_) && !outcomes_.keys_to_repair().empty()) repair();
    try {
      outcomes_.close_report();
    } catch (const std::exception& error) {
      if (!total_.fatal_error) total_.fatal_error = error.what();
    }
    return total_;
  }

 private:
  void compare() {
    PassSetup setup = pass_setup("compare");
    setup.outcomes = &outcomes_;
    add_pass(total_, run_pass(spec_, options_, cancel_, std::move(setup)));
    total_.pipeline = spec_.name;
  }

  // A walk of the target: the keys the source lacks come as erase records,
  // which the comparator counts as extra when the target holds them. The
  // runtime maps each target key back to its source key and leaves out those
  // no source key becomes (or the whole walk, for a renaming without inverse).
  void compare_extras() {
    PipelineSpec pass = pass_spec(spec_);
    pass.sources = {spec_.extras->source};
    pass.reader = spec_.extras->reader;
    pass.comparator = spec_.comparator;
    PassSetup setup = pass_setup("extras");
    setup.outcomes = &outcomes_;
    setup.sources_read_target = true;
    add_pass(total_, run_pass(pass, options_, cancel_, std::move(setup)));
  }

  void repair() {
    auto keys = std::make_shared<const std::vector<std::string>>(outcomes_.keys_to_repair());
    const ComparisonCounts repaired = outcomes_.repair_counts();
    spdlog::info("{}: repairing {} keys (held in memory: {} of key names)", spec_.name,
                 keys->size(), format_bytes(outcomes_.repair_key_bytes()));
    ComparisonSummary& comparison = *total_.comparison;
    RepairFigures& figures = comparison.repair.emplace();

    PipelineSpec copy = pass_spec(spec_);
    copy.reader = spec_.repair->reader;
    copy.sink = spec_.repair->sink;
    PassSetup copying = pass_setup("repair");
    copying.source = std::make_unique<ListedKeysSource>(keys, copy.reader.batch_size);
    const RunSummary copied = run_pass(copy, options_, cancel_, std::move(copying));
    figures.keys_copied = copied.keys_written;
    figures.keys_deleted = copied.keys_deleted;
    add_pass(total_, copied);
    if (!may_go_on(total_)) return;

    const ComparisonCounts before = comparison.counts;
    outcomes_.start_over();
    outcomes_.set_pass("recompare");
    PipelineSpec recompare = pass_spec(spec_);
    recompare.reader = spec_.reader;
    recompare.comparator = spec_.comparator;
    PassSetup comparing = pass_setup("recompare");
    comparing.outcomes = &outcomes_;
    comparing.source = std::make_unique<ListedKeysSource>(keys, recompare.reader.batch_size);
    add_pass(total_, run_pass(recompare, options_, cancel_, std::move(comparing)));
    figures.compared_again = outcomes_.counts();
    comparison.before_repair = before;
    comparison.counts = plus(minus(before, repaired), figures.compared_again);
    comparison.equal_after_recheck += outcomes_.equal_after_recheck();
    comparison.changed_during_comparison += outcomes_.changed_during_comparison();
  }

  // Every pass reads under the pipeline's one rate limit.
  PassSetup pass_setup(std::string_view pass) const {
    PassSetup setup;
    setup.pass = pass;
    setup.rates = rates_;
    return setup;
  }

  const PipelineSpec& spec_;
  const RunOptions& options_;
  CancellationToken& cancel_;
  ComparisonOutcomes outcomes_;
  std::shared_ptr<PipelineRateLimits> rates_;
  RunSummary total_;
};

}  // namespace

RunSummary run_comparison(const PipelineSpec& spec, const RunOptions& options,
                          CancellationToken& cancel) {
  return ComparisonRun(spec, options, cancel).run();
}

}  // namespace riot::host
