#pragma once
// The commands that write a stream value (or one chunk of it) to the target:
// XADD of every entry (with its id, or * when ids are dropped), then, with
// the metadata of a whole value or the last chunk, XSETID, XGROUP CREATE,
// XGROUP CREATECONSUMER and XCLAIM ... FORCE JUSTID for every pending entry.
// docs/datatypes.md ("stream") says what each policy does and what Redis
// does not let a client rebuild.

#include <cstddef>
#include <string_view>

#include "riot/datatype.hpp"
#include "riot/record.hpp"
#include "riot/redis/keyed_commands.hpp"
#include "stream_losses.hpp"

namespace riot::stream_plugin {

// Appends the commands that add `record` to `key` and returns how many; what
// cannot be rebuilt goes to `losses`. Throws std::invalid_argument when the
// parts do not follow the layout.
std::size_t append_stream_writes(const Record& record, std::string_view key,
                                 const WriteOptions& options, redis::KeyedCommands& commands,
                                 StreamLosses& losses);

// Whether an error reply to one of those commands says the target already
// holds what the command adds, which is no failure: an entry not newer than
// the target's last entry, metadata behind the target's, a group that
// exists (a merge into an existing stream; an overwrite never meets them).
bool is_already_applied(std::string_view error);

}  // namespace riot::stream_plugin
