#pragma once
// What the host gives every component: logging, metrics, cancellation, a
// place to report keys that could not be moved, the endpoints the component
// uses, and notes for the run summary. Plugins keep no globals of their own
// for these.

#include <cstddef>
#include <cstdint>
#include <string_view>

#include "riot/cancellation.hpp"
#include "riot/endpoint_identity.hpp"
#include "riot/metrics.hpp"

namespace spdlog {
class logger;
}

namespace riot {

class Datatype;

// How a key of the target differs from the source's.
enum class DifferenceClass : std::uint8_t {
  missing,  // the source holds the key, the target does not
  extra,    // the target holds the key, the source does not
  type,     // both hold it, with different types
  value,    // same type, different values
  ttl,      // same value, expiries further apart than the TTL tolerance
};
std::string_view to_string(DifferenceClass difference);

// One key found different, as a comparator reports it. Views: the host
// copies what it keeps before report_difference returns.
struct KeyDifference {
  std::string_view key;  // binary-safe
  DifferenceClass difference = DifferenceClass::value;
  // What a person needs to find the difference, without the key: the first
  // differing field of a hash (`field "f2": 5 bytes vs 7 bytes`), the first
  // differing index of a list, both TTLs (`ttl 12000 ms vs persistent`), both
  // types (`hash vs string`), both sizes in a quick comparison.
  std::string_view detail;
  std::string_view source_type;  // as TYPE answers; "" when the source lacks the key
  std::string_view target_type;  // "" when the target lacks the key
  // Milliseconds to live as PTTL answers on each side: -1 persistent, -2 when
  // the side lacks the key or the TTL was not read.
  std::int64_t source_ttl_ms = -2;
  std::int64_t target_ttl_ms = -2;
  // The first and the second look disagreed about the source (the key was
  // written there while it was compared): the difference may be in flight.
  bool changed_during_comparison = false;
  // The key as the source names it when a key transform renamed it
  // (Record::source_key); empty when it is `key`.
  std::string_view source_key;
};

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

  // ---- Comparison outcomes (comparators) -----------------------------------

  // `keys` keys compared equal, of which `after_recheck` were different at
  // first sight and equal when compared once more (written on the source
  // meanwhile, or equal in content though not in DUMP bytes). Thread-safe.
  virtual void report_equal(std::uint64_t keys, std::uint64_t after_recheck = 0) {
    (void)keys;
    (void)after_recheck;
  }

  // A key that differs, after its second look. The host counts it by class,
  // shows it (--show-diffs), writes it to the diff report and, when asked to
  // repair, copies it again. Thread-safe.
  virtual void report_difference(const KeyDifference& difference) { (void)difference; }
};

}  // namespace riot
