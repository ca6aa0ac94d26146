#pragma once
// The document of `riot replicate --mode live|liveonly`: subscribe to the
// source's keyspace notifications, scan (live only), then follow changes.
//
//   sources    source.keyspace on SOURCE, subscribed before anything runs,
//              holding what it read --flush-interval ms at most;
//              then source.scan on SOURCE (live; liveonly has none)
//   reconcile  source.scan on SOURCE and source.scan on TARGET, with the same
//              key filters: run again whenever a change may have been missed
//              (subscription lost, event queue full). A key only the target
//              holds is read from the source, found missing and deleted.
//              A dry run leaves the target out.
//   reader     codec.dump on SOURCE (codec.struct with --type struct),
//              "erase_missing": a key gone from the source becomes a delete
//              on the target; with --key-type it checks each key's type
//              (notifications do not tell it)
//   sink       sink.restore on TARGET (sink.struct with --type struct;
//              sink.null with --dry-run)
//   runtime    ordered (one key's changes through one reader and one writer,
//              in order), the event queue and order, the idle timeout

#include <nlohmann/json.hpp>

#include "replicate_options.hpp"

namespace riot::app {

nlohmann::json live_pipeline_document(const ReplicateOptions& options);

}  // namespace riot::app
