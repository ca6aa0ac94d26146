#pragma once
// Whether a file could be created where a document says to write one (the
// diff report), checked before anything connects and without creating it.

#include <optional>
#include <string>

namespace riot::host {

// Why `path` could not be created or truncated for writing, or nothing when
// it could.
std::optional<std::string> unwritable_file(const std::string& path);

}  // namespace riot::host
