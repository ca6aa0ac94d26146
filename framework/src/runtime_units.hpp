#pragma once
// Numbers as people read them, for the progress display and the summary.

#include <cstdint>
#include <string>

#include "riot/byte_size.hpp"

namespace riot::host {

// "512 B", "1.5 KiB", "3.2 GiB" (the SDK's, which plugins share).
using riot::format_bytes;

// "0.4s", "12.3s", "3m05s", "1h02m03s".
std::string format_duration(double seconds);

// "850", "12.4k", "1.3M": a rate or count in three significant figures.
std::string format_compact(double value);

}  // namespace riot::host
