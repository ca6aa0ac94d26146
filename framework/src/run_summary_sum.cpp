#include "run_summary_sum.hpp"

#include <algorithm>

namespace riot::host {

void add_pass(RunSummary& total, const RunSummary& pass) {
  total.keys_total_estimate += pass.keys_total_estimate;
  total.keys_scanned += pass.keys_scanned;
  total.keys_read += pass.keys_read;
  total.keys_skipped += pass.keys_skipped;
  total.keys_filtered += pass.keys_filtered;
  total.keys_written += pass.keys_written;
  total.keys_deleted += pass.keys_deleted;
  total.keys_expired += pass.keys_expired;
  total.keys_failed += pass.keys_failed;
  total.keys_existing += pass.keys_existing;
  total.bytes_read += pass.bytes_read;
  total.bytes_written += pass.bytes_written;
  total.seconds += pass.seconds;
  // The passes walk one after the other: their walks' times add up.
  if (pass.scan_seconds) total.scan_seconds = total.scan_seconds.value_or(0) + *pass.scan_seconds;
  total.rate_wait_seconds += pass.rate_wait_seconds;
  total.live = total.live || pass.live;
  total.events_received += pass.events_received;
  total.events_coalesced += pass.events_coalesced;
  total.events_overflowed += pass.events_overflowed;
  total.events_applied += pass.events_applied;
  total.recoveries += pass.recoveries;
  if (!total.lag) total.lag = pass.lag;
  total.idle_timeout = total.idle_timeout || pass.idle_timeout;
  total.failure_causes.insert(total.failure_causes.end(), pass.failure_causes.begin(),
                              pass.failure_causes.end());
  total.interrupted = total.interrupted || pass.interrupted;
  if (!total.fatal_error) total.fatal_error = pass.fatal_error;
  if (!total.refused) total.refused = pass.refused;
  for (const std::string& note : pass.notes) {
    // The passes' components say the same things (databases not copied...).
    if (std::find(total.notes.begin(), total.notes.end(), note) == total.notes.end())
      total.notes.push_back(note);
  }
}

}  // namespace riot::host
