#pragma once
// What the host gives every component: logging, metrics, cancellation, a
// place to report keys that could not be moved, the endpoints the component
// uses, and notes for the run summary. Plugins keep no globals of their own
// for these.

#include <cstddef>
#include <string_view>

#include "riot/cancellation.hpp"
#include "riot/endpoint_identity.hpp"
#include "riot/metrics.hpp"

namespace spdlog {
class logger;
}

namespace riot {

class Datatype;

class HostContext {
 public:
  virtual ~HostContext() = default;

  // The run's log. Messages of a component start with its name.
  virtual spdlog::logger& logger() = 0;
  virtual Metrics& metrics() = 0;
  virtual const CancellationToken& cancellation() const = 0;

  // A key that could not be applied: counted in keys_failed and grouped with
  // the keys that failed alike for the log and the run summary (the first of
  // each cause logged as a warning, each key at debug level). `error` says
  // why ("RESTORE failed: BUSYKEY ..."); a component that cannot go on for
  // any key throws instead. Thread-safe.
  virtual void report_failure(std::string_view key, std::string_view error) = 0;

  // The database the component reads from or writes to, reported when the
  // component is created (each worker may report the same one). After every
  // component is created and before any runs, the host refuses a run that
  // writes into a database it reads. Thread-safe. A host that does not
  // compare endpoints ignores it.
  virtual void report_endpoint(EndpointUse use, EndpointIdentity identity) {
    (void)use;
    (void)identity;
  }

  // A line for the end-of-run summary, for what the user must know about the
  // run's result beyond the counts ("databases 1, 2 of the source hold keys
  // too and were not copied"). Thread-safe.
  virtual void add_summary_note(std::string_view note) { (void)note; }

  // The component's instance number among the instances of its stage, from 0
  // (reader and sink workers; sources of one stage list): to spread workers
  // over replicas, to name connections.
  virtual std::size_t instance() const { return 0; }

  // Something may have been missed (a subscription lost, events the queue
  // could not hold, a FLUSHALL seen): the host runs the pipeline's
  // reconciliation sources once more, a pass that re-reads every key either
  // database holds under the filters (a key the source no longer holds
  // becomes a delete), logs `reason` and counts a recovery. Requests made
  // while a pass runs are served by one further pass. Thread-safe.
  virtual void request_reconciliation(std::string_view reason) { (void)reason; }

  // The datatype component that serves the Redis type `type_name` (as TYPE
  // answers it: "hash", "ReJSON-RL"), from any loaded plugin, or nullptr when
  // none does. The instance is shared by every component of the run and
  // lives as long as the run. Thread-safe.
  virtual const Datatype* datatype(std::string_view type_name) {
    (void)type_name;
    return nullptr;
  }
};

}  // namespace riot
