#pragma once
// The walk of one server's keyspace with SCAN: a standalone server, or one
// shard of a cluster. Each walk owns its connection; a cluster source runs one
// per shard, in parallel.
//
// The walk survives faults: when the connection is lost (or times out, or
// answers something the parser rejects), or the server answers LOADING, it
// reconnects with backoff and resumes from the last cursor it completed.
// SCAN's guarantee (every key present throughout is returned) holds across a
// reconnect to the same server. When the shard's node changed meanwhile (a
// failover promoted a replica), a cursor of the old node means nothing on the
// new one: the walk starts over there, so keys already emitted are emitted
// again (and copied again, harmlessly) but none is lost.

#include <atomic>
#include <cstdint>
#include <functional>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "riot/components.hpp"
#include "riot/host_context.hpp"
#include "riot/redis/cluster/slot.hpp"
#include "riot/redis/cluster/topology.hpp"
#include "riot/redis/connection.hpp"
#include "riot/retry.hpp"
#include "riot/retrying_pipeline.hpp"
#include "scan_progress.hpp"

namespace riot::scan_plugin {

struct ScanOptions {
  std::string match = "*";
  std::optional<std::string> type;  // SCAN TYPE filter; none: every type
  std::uint64_t count = 1000;
  // Only keys in these slots are emitted (computed client-side, so it works
  // on a standalone server too).
  redis::cluster::SlotSet key_slots = redis::cluster::SlotSet::all();
  // Which side of the replication the walk reads, for its messages: the
  // target for a reconciliation pass looking for keys only the target holds.
  std::string side = "source";
};

class NodeScan {
 public:
  // Where the shard's node is now, asked after a failed attempt on a
  // cluster; nothing when it cannot be told (the next attempt then goes to
  // the same node again).
  using Relocate = std::function<std::optional<redis::cluster::NodeAddress>()>;

  // `label` names the walk in logs ("shard 0-5460"); empty for a standalone
  // server.
  NodeScan(redis::ConnectionOptions connection, const ScanOptions& options, RetryOptions retry,
           HostContext& host, std::string label, Relocate relocate = {});

  // Connects now, so that a wrong address or password fails before the run.
  void connect() { connection_.connect(); }

  // DBSIZE (or, when only some slots are wanted, the sum of CLUSTER
  // COUNTKEYSINSLOT over `slots`): what this walk expects to emit. Nothing
  // when the server refuses them (logged): they only serve progress.
  std::optional<std::uint64_t> estimate(std::span<const redis::cluster::SlotRange> slots);

  // Walks from cursor 0 until the cursor returns to 0, the run is cancelled,
  // `out` asks the walk to finish or refuses more. Throws when retries run
  // out.
  void run(KeyBatchWriter& out);

  std::string describe() const;

  // How far the walk has come; thread-safe (another thread estimates the
  // total while the walk runs).
  WalkSample progress() const { return progress_.sample(); }

 private:
  // The command of an attempt, built anew for each (a retry after a
  // failover restarts the walk from cursor 0).
  using ArgumentsOf = std::function<std::span<const std::string_view>()>;
  // Sends one command until the server answers it, as the retry policy
  // allows; `what` describes it for messages. Nothing when the run stopped
  // first; throws when the retries run out.
  std::optional<redis::Reply> command_with_retries(const ArgumentsOf& arguments,
                                                   const std::string& what);
  // After a failed attempt on a cluster: follows the shard to its new node.
  void follow_shard();
  KeyBatch to_batch(redis::Reply& keys) const;

  redis::Connection connection_;
  const ScanOptions& options_;
  RetryingPipeline pipeline_;
  HostContext& host_;
  std::string label_;
  Relocate relocate_;
  std::string count_text_;  // COUNT argument, formatted once
  std::string cursor_ = "0";
  // The server that gave cursor_ (node() of the connection): a cursor means
  // nothing on another server, such as the master a sentinel names after a
  // failover. Empty: no cursor from any server yet.
  std::string cursor_node_;
  ScanProgress progress_;
};

}  // namespace riot::scan_plugin
