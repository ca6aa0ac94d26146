#pragma once
// `riot replicate`'s Redis Sentinel options (--source-sentinel-master, ...):
// their names, defaults and help. What they mean once read is in
// sentinel_options.hpp; docs/sentinel.md tells the whole story.

#include "cli_options.hpp"

namespace riot::app {

void add_sentinel_options(po::options_description& options);

}  // namespace riot::app
