#pragma once
// The summaries of a pipeline's passes, added into one.

#include "riot/host/runtime.hpp"

namespace riot::host {

// Counters are added, the first fatal error or refusal is kept, notes and
// failure causes are appended. `total.comparison` is left alone.
void add_pass(RunSummary& total, const RunSummary& pass);

// Whether the run may go on after `summary`: it was neither interrupted,
// stopped by a fatal error nor refused (failed keys do not stop it).
inline bool may_go_on(const RunSummary& summary) {
  return !summary.interrupted && !summary.fatal_error && !summary.refused;
}

}  // namespace riot::host
