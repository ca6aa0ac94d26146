#pragma once
// The comparing pipeline: `riot replicate --mode compare` runs it alone (named
// "compare"), a snapshot and a live run ended by its idle timeout run it
// after the copy (named "verify").
//
//   source      source.scan on SOURCE with the key filters
//   reader      --compare full: codec.dump on SOURCE, "erase_missing" (a key
//               gone reads as such), big keys (over --mem-limit, 4 MiB by
//               default) as chunked values; codec.struct with --type struct.
//               --compare quick: codec.digest (type, TTL and size only)
//   comparator  comparator.redis on TARGET, SOURCE under "source" (its second
//               look at a key found different), --compare, --ttl-tolerance
//   extras      source.scan on TARGET with the same filters -> codec.digest
//               "presence" on SOURCE: the keys only the target holds
//   repair      (--repair) the full reader -> sink.restore (sink.struct with
//               --type struct) overwriting on TARGET; "extra" with
//               --repair-extra
//   comparison  --show-diffs, --diff-report
//
// The comparator and the repair's sink take --write-threads, --write-batch
// and --write-queue (they work on the target); the readers the reading
// options.

#include <nlohmann/json.hpp>
#include <string>

#include "replicate_options.hpp"

namespace riot::app {

// The document of `riot replicate --mode compare`.
nlohmann::json compare_pipeline_document(const ReplicateOptions& options);

// `copy`, a single-pipeline document named `copy_name` ("snapshot"), followed
// by its verification when the options ask for one (otherwise `copy` as it
// is).
nlohmann::json with_verification(nlohmann::json copy, const std::string& copy_name,
                                 const ReplicateOptions& options);

}  // namespace riot::app
