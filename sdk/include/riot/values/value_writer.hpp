#pragma once
// Writing structured value records through their datatypes: the engine of
// sink.struct, and of sink.restore for the value records codec.dump makes
// (strings read by GET, big keys read by type).
//
// A record becomes a group of commands appended to the caller's pipeline, and
// its replies are judged in the same order, so that many keys go in one round
// trip. Every group but a single SET is a MULTI/EXEC transaction: a record is
// applied whole or not at all, and one refused at queue time (OOM at
// maxmemory) left nothing behind, so sending it again is safe.
//
// Overwrite is atomic per key: a whole value is one command where the
// datatype has one (SET key value PX ms), otherwise MULTI, DEL, the
// datatype's writes, PEXPIRE, EXEC. A big key's chunks are written into a
// staging key in the key's slot ("{tag}riot:staging:<run>:<reading>:<key>",
// see docs/datatypes.md; two readings of one key in flight at once are staged
// apart): the first chunk deletes it first, the last applies the
// TTL and RENAMEs it over the key, so that no reader of the target ever sees
// half of it. Merge adds to the key in place and applies the source's TTL
// when it has one (a target TTL stays when the source key has none).
// replace=false: the value is built in a staging key and RENAMENX'd, so that
// a key the target already holds is left alone, atomically.
//
// The writer remembers the readings of big keys whose chunks it is writing
// (all chunks of a key come to one writer, in order), hence one writer per
// sink instance, used by one thread.

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <utility>
#include <vector>

#include "riot/datatype.hpp"
#include "riot/host_context.hpp"
#include "riot/record.hpp"
#include "riot/redis/keyed_commands.hpp"
#include "riot/redis/reply.hpp"

namespace riot::values {

// What became of one record a sink sent.
struct WriteJudgement {
  enum class Verdict {
    applied,
    // replace=false and the target held the key: left as it was, on purpose.
    // Counted as keys_existing, not as a failure.
    left_alone,
    failed,
  };
  Verdict verdict = Verdict::applied;
  std::string error;        // failed: what to report with the key ("hash write refused: OOM ...")
  std::string error_reply;  // failed by the target's error reply, for redis::classify_error_reply
                            // (a transient one is worth sending the record again); else ""

  static WriteJudgement left_alone() { return {Verdict::left_alone, {}, {}}; }
  static WriteJudgement failed(std::string error) {
    return {Verdict::failed, std::move(error), {}};
  }
  static WriteJudgement refused(std::string error, std::string error_reply) {
    return {Verdict::failed, std::move(error), std::move(error_reply)};
  }
};

class ValueWriter {
 public:
  // replace=false: a key the target already holds is left alone (judged
  // Verdict::left_alone); it matters to overwrite only.
  ValueWriter(WriteOptions options, bool replace, HostContext& host);

  // Appends the commands that apply `record` (RecordKind::value, or an erase:
  // see append_erase) and returns how many replies they get; 0 when there is
  // nothing to send: no datatype serves its type, or it is a chunk of a key
  // whose write failed before (both already reported as failed). The
  // record's value is referenced by the commands, not copied: it must outlive
  // the send. Appending the same record again (a retry) is allowed.
  std::size_t append(const Record& record, redis::KeyedCommands& commands);

  // DEL of an erased key, and of its staging key when a chunked write of it
  // was under way (a big key deleted on the source during its copy): 1.
  std::size_t append_erase(const Record& record, redis::KeyedCommands& commands);

  // Judges the replies to the commands append() appended for `record`.
  WriteJudgement judge(const Record& record, std::span<const redis::Reply> replies);

  // The caller gave up on `record` (reported it as failed): a big key's
  // remaining chunks are skipped (append() returns 0 for them) until its next
  // first chunk, and its staging key is listed by the next take_discards().
  // Call it for every record given up on.
  void abandon(const Record& record);

  // The staging keys left by writes abandoned since the last call: DEL them
  // (best effort: a crash leaves them too, docs/datatypes.md says how to
  // find them).
  std::vector<std::string> take_discards();

  // Abandons every chunked write still under way (the run stops before their
  // last chunks): their staging keys go to take_discards(). Returns how many.
  std::size_t abandon_unfinished();

  const WriteOptions& options() const noexcept { return options_; }
  // The staging key of a reading of `key` (ValueChunk::reading) in this
  // writer's run.
  std::string staging_key(std::string_view key, std::uint64_t reading) const;

 private:
  // How a record is written, decided alike by append() and judge().
  struct Plan;
  // A big key's reading whose first chunk was appended and last not applied.
  struct OpenReading {
    std::string key;
    bool wrote = false;  // some chunk held commands (else the value is empty)
  };

  Plan plan_for(const Record& record, std::size_t datatype_commands) const;
  const Datatype* datatype_for(const Record& record);
  // The record's reading is applied to its last chunk: forgotten.
  void finish_key(const Record& record);
  // The open readings of `key`.
  std::vector<std::uint64_t> readings_of(std::string_view key) const;

  WriteOptions options_;
  bool replace_;
  HostContext& host_;
  std::string run_tag_;  // distinguishes this process's staging keys
  std::unordered_map<std::uint64_t, OpenReading> open_;  // by ValueChunk::reading
  std::unordered_set<std::uint64_t> abandoned_;  // readings whose remaining chunks are skipped
  std::vector<std::string> discards_;            // staging keys to delete
};

}  // namespace riot::values
