#pragma once
// Reading a shared object's exported symbols from the file, without loading
// it: loading runs the library's constructors, which a file that is not a
// riot plugin (any library dropped into a plugin directory) must never get to
// run.

#include <filesystem>
#include <string_view>

namespace riot::host {

// Whether `file` is an ELF shared object of this machine's word size and byte
// order whose dynamic symbol table (what dlsym searches) defines `symbol`
// with default or protected visibility. False for any other file. Throws
// PluginError, naming the file, when it cannot be read.
bool exports_dynamic_symbol(const std::filesystem::path& file, std::string_view symbol);

}  // namespace riot::host
