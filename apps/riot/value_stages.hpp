#pragma once
// The reader and sink stages, by --type, as every mode's document uses them:
//
//   --type dump    codec.dump on SOURCE   <- --read-threads, --read-batch,
//                                            --read-queue, --read-from,
//                                            --mem-limit (mem_limit_bytes),
//                                            --mem-samples,
//                                            --mem-limit-policy (over_limit),
//                                            --no-string-fast-path
//                  sink.restore on TARGET <- --write-threads, --write-batch,
//                                            --write-queue, --no-replace
//   --type struct  codec.struct on SOURCE <- the same reading options,
//                                            --mem-limit (chunk_above_bytes),
//                                            --mem-samples
//                  sink.struct on TARGET  <- the same writing options,
//                                            --merge-policy (merge),
//                                            --stream-id (stream_ids)
//   --dry-run      sink.null, whatever the type
//
// A live mode adds what following changes needs to the reader
// (live_document.hpp): both codecs take the same keys for it.

#include <nlohmann/json.hpp>

#include "replicate_options.hpp"

namespace riot::app {

nlohmann::json reader_stage(const ReplicateOptions& options);

nlohmann::json sink_stage(const ReplicateOptions& options);

}  // namespace riot::app
