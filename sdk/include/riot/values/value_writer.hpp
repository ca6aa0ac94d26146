#pragma once
// Writing structured value records through their datatypes: the engine of
// sink.struct, and of sink.restore for the value records codec.dump makes
// (strings read by GET, big keys read by type).
//
// A record becomes a group of commands appended to the caller's pipeline, and
// its replies are judged in the same order, so that many keys go in one round
// trip. Overwrite is atomic per key: a whole value is one command where the
// datatype has one (SET key value PX ms), otherwise MULTI, DEL, the
// datatype's writes, PEXPIRE, EXEC; a big key's chunks are written into a
// staging key in the key's slot ("{tag}riot:staging:<run>:<key>") that the
// last chunk renames over the key, so that no reader of the target ever sees
// half of it. Merge adds to the key in place and applies the source's TTL
// when it has one.

#include <cstddef>
#include <span>
#include <string>

#include "riot/datatype.hpp"
#include "riot/host_context.hpp"
#include "riot/record.hpp"
#include "riot/redis/keyed_commands.hpp"
#include "riot/redis/reply.hpp"

namespace riot::values {

class ValueWriter {
 public:
  // replace=false: a key the target already holds is left alone and
  // reported (as RESTORE without REPLACE does).
  ValueWriter(WriteOptions options, bool replace, HostContext& host);

  // Appends the commands that apply `record` (RecordKind::value) and returns
  // how many replies they get; 0 when the record cannot be written (no
  // datatype serves its type: already reported as failed).
  std::size_t append(const Record& record, redis::KeyedCommands& commands);

  // Judges the replies to the commands append() appended for `record`:
  // returns "" when the record was applied, else the error to report with
  // its key ("HSET failed: OOM ...").
  std::string check(const Record& record, std::span<const redis::Reply> replies) const;

  const WriteOptions& options() const noexcept { return options_; }

 private:
  WriteOptions options_;
  bool replace_;
  HostContext& host_;
  std::string run_tag_;  // distinguishes this process's staging keys
};

}  // namespace riot::values
