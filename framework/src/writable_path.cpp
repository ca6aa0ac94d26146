#include "writable_path.hpp"

#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>

namespace riot::host {

std::optional<std::string> unwritable_file(const std::string& path) {
  namespace fs = std::filesystem;
  if (path.empty()) return "the path is empty";
  std::error_code error;
  const fs::path file(path);
  const fs::file_status status = fs::status(file, error);
  if (fs::exists(status)) {
    if (fs::is_directory(status)) return std::string("it is a directory");
    if (::access(path.c_str(), W_OK) != 0) return std::strerror(errno);
    return std::nullopt;
  }
  const fs::path parent = file.has_parent_path() ? file.parent_path() : fs::path(".");
  if (!fs::is_directory(parent, error)) {
    return "the directory '" + parent.string() + "' does not exist";
  }
  if (::access(parent.c_str(), W_OK | X_OK) != 0) {
    return "the directory '" + parent.string() + "': " + std::strerror(errno);
  }
  return std::nullopt;
}

}  // namespace riot::host
