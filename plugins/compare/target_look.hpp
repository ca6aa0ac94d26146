#pragma once
// One look at the target for a batch of records of the source: one pipelined
// command group per record, sent as one round (a batch holding several
// chunks of one key takes a round per chunk, since a chunk's probe starts
// where the previous one ended), then each key classified.
//
// The command group of each record form:
//   dump    TYPE, PTTL, DUMP: equal DUMP bytes settle the value at once;
//           bytes that differ are a value difference "DUMP bytes differ",
//           which only a look by type can confirm (equal content may dump
//           differently on two servers).
//   value   TYPE, PTTL, and the datatype's whole read, compared by
//           Datatype::compare; a big key's chunks: TYPE and PTTL with the
//           first, the datatype's chunk probe with each (or, for a datatype
//           that does not compare in chunks, the chunks gathered and the
//           target read whole with the last).
//   digest  TYPE, PTTL, and the size by the source's type's datatype.
//   erase   TYPE, PTTL: the target holding the key makes it extra.

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "chunked_keys.hpp"
#include "key_look.hpp"
#include "riot/record.hpp"
#include "riot/values/keyed_round.hpp"

namespace riot::compare_plugin {

class TargetLook {
 public:
  TargetLook(values::KeyedRound target, std::int64_t ttl_tolerance_ms);

  // Looks at every record's key on the target: `looks` gets one look per
  // record, in order (pending for a big key's chunk before its last, failed
  // for a key reported as failed). The parts of chunks gathered for a datatype
  // that does not compare in chunks are moved out. False: the run stopped.
  bool look(RecordBatch& records, ChunkedKeys& chunked, std::vector<KeyLook>& looks);

 private:
  // What was sent for a record in its round.
  enum class Sent : std::uint8_t { nothing, erase, dump, digest, whole, chunk };
  struct Planned {
    std::size_t record = 0;
    Sent sent = Sent::nothing;
    bool facts = true;  // TYPE and PTTL first
    const Datatype* datatype = nullptr;
    ChunkedKey* chunked = nullptr;
    std::size_t first = 0;  // its first reply
    std::size_t count = 0;  // its commands
  };

  bool look_round(RecordBatch& records, std::span<const std::size_t> round, ChunkedKeys& chunked,
                  std::vector<KeyLook>& looks);
  // Decides what to send for `record`; nothing for a chunk whose key's
  // comparison is settled or ended.
  Planned plan(const Record& record, std::size_t index, ChunkedKeys& chunked,
               std::vector<KeyLook>& looks) const;
  std::size_t encode(const Record& record, const Planned& planned,
                     redis::KeyedCommands& commands) const;
  // Classifies the record's key from the replies of its group.
  KeyLook judge(Record& record, const Planned& planned, std::span<redis::Reply> replies,
                Expiry::Clock::time_point sent_at, ChunkedKeys& chunked) const;
  KeyLook judge_chunk(Record& record, const Planned& planned, std::span<redis::Reply> replies,
                      KeySides sides, bool target_matches, ChunkedKeys& chunked) const;
  // The whole value of the target, read by append_read's commands, compared
  // with `source`.
  ValueComparison compare_whole(const Datatype& datatype, const Record& source,
                                std::span<redis::Reply> replies) const;
  KeyLook failed(std::string_view key, const std::string& error) const;

  values::KeyedRound target_;
  std::int64_t ttl_tolerance_ms_;
  std::vector<redis::Reply> replies_;
  std::vector<Planned> planned_;
};

}  // namespace riot::compare_plugin
