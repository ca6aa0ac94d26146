#pragma once
// Small pieces of test plumbing shared by the support classes.

#include <cstdint>
#include <filesystem>
#include <string>

namespace riot::test {

// A new empty directory "<prefix>-XXXXXX" under the build's test directory
// (RIOT_TEST_TMPDIR) or /tmp.
std::filesystem::path make_temp_directory(const std::string& prefix);

// A socket listening on 127.0.0.1 at a port the kernel picked; `port` is set.
// Throws std::system_error naming `what` if it cannot listen.
int listen_on_loopback(std::uint16_t& port, const std::string& what);

}  // namespace riot::test
