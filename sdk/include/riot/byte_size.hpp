#pragma once
// Sizes in bytes as people read them, for messages of the host and plugins.

#include <cstdint>
#include <string>

namespace riot {

// "512 B", "1.5 KiB", "3.2 GiB".
std::string format_bytes(std::uint64_t bytes);

}  // namespace riot
