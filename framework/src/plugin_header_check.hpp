#pragma once
// The checks a plugin's header must pass before the host calls into any of
// its C++ code: only then do both sides agree on the layout of C++ types.

#include <filesystem>

#include "riot/plugin.hpp"

namespace riot::host {

// Throws PluginError, naming `file`, when the header is missing, carries the
// wrong magic number, or was built against another SDK major version or with
// another toolchain (build tag) than this riot.
void check_plugin_header(const PluginHeader* header, const std::filesystem::path& file);

}  // namespace riot::host
