#include "rate_syntax.hpp"

namespace riot::app {

void add_rate_options(po::options_description& options) {
  po::options_description group("Rate limits (spare a busy source; see docs/pipeline.md)");
  auto add = group.add_options();
  add("rate", po::value<std::string>()->value_name("N"),
      "Read at most N keys per second from the source, all reader threads and passes together "
      "(the scan, the reads, a comparison's reads); the scan keeps the same pace. Suffixes k and "
      "m for thousands and millions (default: no limit).");
  add("rate-bytes", po::value<std::string>()->value_name("SIZE"),
      "Read at most SIZE bytes of keys and values per second from the source, all reader "
      "threads together: a number of bytes, or with a suffix K, M or G (KiB, MiB, GiB), e.g. "
      "10M (default: no limit).");
  options.add(group);
}

}  // namespace riot::app
