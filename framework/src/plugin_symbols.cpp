// Only the section headers, the .dynsym section and its string table are
// read, each checked against the file's size first: a truncated or hostile
// file is "not a plugin", never a crash or a huge allocation.

#include "plugin_symbols.hpp"

#include <elf.h>

#include <algorithm>
#include <bit>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <string>
#include <vector>

#include "riot/host/plugin_registry.hpp"

namespace riot::host {
namespace {

struct Elf32 {
  using Header = Elf32_Ehdr;
  using Section = Elf32_Shdr;
  using Symbol = Elf32_Sym;
  static unsigned char binding(const Symbol& symbol) { return ELF32_ST_BIND(symbol.st_info); }
  static unsigned char visibility(const Symbol& symbol) {
    return ELF32_ST_VISIBILITY(symbol.st_other);
  }
};

struct Elf64 {
  using Header = Elf64_Ehdr;
  using Section = Elf64_Shdr;
  using Symbol = Elf64_Sym;
  static unsigned char binding(const Symbol& symbol) { return ELF64_ST_BIND(symbol.st_info); }
  static unsigned char visibility(const Symbol& symbol) {
    return ELF64_ST_VISIBILITY(symbol.st_other);
  }
};

class FileReader {
 public:
  explicit FileReader(const std::filesystem::path& file) : in_(file, std::ios::binary) {
    if (!in_) {
      throw PluginError("plugin " + file.string() + ": cannot be read: " + std::strerror(errno));
    }
    in_.seekg(0, std::ios::end);
    size_ = static_cast<std::uint64_t>(in_.tellg());
  }

  // `count` objects of type T at `offset`; false if they lie past the end.
  template <typename T>
  bool read(std::uint64_t offset, std::uint64_t count, std::vector<T>& out) {
    if (offset > size_ || count > (size_ - offset) / sizeof(T)) return false;
    out.resize(static_cast<std::size_t>(count));
    in_.clear();  // a failed read before must not fail this one
    in_.seekg(static_cast<std::streamoff>(offset));
    in_.read(reinterpret_cast<char*>(out.data()), static_cast<std::streamsize>(count * sizeof(T)));
    return static_cast<bool>(in_);
  }

 private:
  std::ifstream in_;
  std::uint64_t size_ = 0;
};

bool is_exported(unsigned char binding, unsigned char visibility) {
  return (binding == STB_GLOBAL || binding == STB_WEAK || binding == STB_GNU_UNIQUE) &&
         (visibility == STV_DEFAULT || visibility == STV_PROTECTED);
}

template <typename Elf>
bool table_defines(FileReader& reader, const typename Elf::Section& table,
                   const typename Elf::Section& strings, std::string_view symbol) {
  std::vector<typename Elf::Symbol> symbols;
  std::vector<char> names;
  if (!reader.read(table.sh_offset, table.sh_size / sizeof(typename Elf::Symbol), symbols) ||
      !reader.read(strings.sh_offset, strings.sh_size, names))
    return false;
  const std::string_view all_names(names.data(), names.size());
  return std::any_of(symbols.begin(), symbols.end(), [&](const typename Elf::Symbol& entry) {
    if (entry.st_shndx == SHN_UNDEF || entry.st_name >= all_names.size()) return false;
    const std::string_view rest = all_names.substr(entry.st_name);
    const std::string_view name = rest.substr(0, rest.find('\0'));
    return name == symbol && is_exported(Elf::binding(entry), Elf::visibility(entry));
  });
}

template <typename Elf>
bool exports(FileReader& reader, std::string_view symbol) {
  std::vector<typename Elf::Header> header;
  if (!reader.read(0, 1, header) || header[0].e_type != ET_DYN ||
      header[0].e_shentsize != sizeof(typename Elf::Section))
    return false;
  std::vector<typename Elf::Section> sections;
  if (!reader.read(header[0].e_shoff, header[0].e_shnum, sections)) return false;
  for (const auto& section : sections) {
    if (section.sh_type != SHT_DYNSYM || section.sh_link >= sections.size()) continue;
    if (table_defines<Elf>(reader, section, sections[section.sh_link], symbol)) return true;
  }
  return false;
}

}  // namespace

bool exports_dynamic_symbol(const std::filesystem::path& file, std::string_view symbol) {
  FileReader reader(file);
  std::vector<unsigned char> ident;
  if (!reader.read(0, EI_NIDENT, ident) || std::memcmp(ident.data(), ELFMAG, SELFMAG) != 0)
    return false;
  constexpr unsigned char kNativeOrder =
      std::endian::native == std::endian::little ? ELFDATA2LSB : ELFDATA2MSB;
  if (ident[EI_DATA] != kNativeOrder) return false;
  if (ident[EI_CLASS] == ELFCLASS64) return exports<Elf64>(reader, symbol);
  if (ident[EI_CLASS] == ELFCLASS32) return exports<Elf32>(reader, symbol);
  return false;
}

}  // namespace riot::host
