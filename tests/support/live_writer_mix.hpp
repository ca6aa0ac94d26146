#pragma once
// What the live writer (support/live_writer.hpp) sends next: the commands of
// its two modes, generated batch after batch from a seed. Used by the
// writer's one thread.

#include <memory>
#include <string_view>
#include <vector>

#include "riot/redis/reply.hpp"
#include "support/dataset.hpp"
#include "support/live_writer.hpp"

namespace riot::test {

class CommandMix {
 public:
  virtual ~CommandMix() = default;
  // Appends the next step's commands (one or a few) to `batch`.
  virtual void next(KeyedCommands& batch) = 0;
  // Learns from the replies to the batch just sent (DUMP payloads to RESTORE
  // later, stream entries delivered to a consumer to acknowledge later).
  virtual void observe(const KeyedCommands& batch, const std::vector<redis::Reply>& replies) = 0;
  // Whether every step was sent (same_key mode); the mixed mode never ends.
  virtual bool done() const = 0;
};

// `cluster`: every key the mix pairs with another (RENAME, COPY, RESTORE)
// shares its hash tag, and no MOVE is sent.
std::unique_ptr<CommandMix> make_command_mix(const LiveWriterOptions& options, bool cluster);

// Whether `error`, the reply to `command`, is one the mixed mode expects now
// and then (a RENAME of a key that is gone, an existing consumer group...).
bool is_expected_error(std::string_view command, std::string_view error);

}  // namespace riot::test
