#pragma once
// Reads of the source that describe keys rather than copy them: a digest
// (TYPE, PTTL, then the size by the type's datatype), presence (EXISTS), and
// the DUMP of a key of a type no datatype serves. codec.digest reads with
// them, and the comparator when it looks at a key again. Each read is two
// pipelined round trips per batch at most, never one per key.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "riot/components.hpp"
#include "riot/record.hpp"
#include "riot/values/keyed_round.hpp"

namespace riot::compare_plugin {

// What a read produced, for the metrics of a reader.
struct FactsTally {
  std::uint64_t described = 0;  // digest or dump records
  std::uint64_t erased = 0;     // erase records (keys the source does not hold)
  std::uint64_t present = 0;    // keys a presence read found (no record)
  std::uint64_t bytes = 0;      // DUMP payload bytes
};

class SourceFacts {
 public:
  // `round` names what a key given up on is reported as. `only_type`: a key
  // of another type counts as one the source does not hold.
  SourceFacts(values::KeyedRound round, std::optional<std::string> only_type);

  // A digest record for each key of `keys` the source holds, an erase record
  // for each it does not. False: the run stopped (the keys reported).
  bool read_digests(KeyBatch& keys, RecordBatch& out, FactsTally& tally);
  // An erase record for each key of `keys` the source does not hold.
  bool read_presence(KeyBatch& keys, RecordBatch& out, FactsTally& tally);
  // A dump record (with its type) for each key the source holds, an erase
  // record for each it does not.
  bool read_dumps(KeyBatch& keys, RecordBatch& out, FactsTally& tally);

 private:
  // TYPE and PTTL of every key of `keys`, plus `extra` (DUMP) when given;
  // fills types_ and pttls_ ("" for a key not held). Returns when sent.
  std::optional<Expiry::Clock::time_point> read_types(const KeyBatch& keys, std::string_view extra);
  bool wanted(const std::string& type) const;
  void add_erase(KeyEvent& event, RecordBatch& out, FactsTally& tally) const;
  std::vector<std::string_view> names(const KeyBatch& keys) const;

  values::KeyedRound round_;
  std::optional<std::string> only_type_;
  std::vector<redis::Reply> replies_;
  std::vector<std::string> types_;
  std::vector<std::int64_t> pttls_;
};

}  // namespace riot::compare_plugin
