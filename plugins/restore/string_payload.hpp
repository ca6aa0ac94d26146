#pragma once
// The DUMP payload of a string, as RESTORE takes it, made by riot: how
// sink.restore writes a string read by GET (codec.dump's fast path) to a
// target whose user may run RESTORE but not SET, as the least-privilege
// recipe grants (docs/recipes.md). The source then still spares DUMP.
//
// The layout is Redis's (rdb.c, cluster.c): the type RDB_TYPE_STRING (0),
// the length-prefixed bytes, uncompressed, the RDB version (2 bytes, little
// endian) and the CRC-64 (Jones) of all that (8 bytes, little endian).
// RESTORE accepts any version up to its own; the one written is that of Redis
// 3.2, whose string layout every later version reads alike.

#include <cstdint>
#include <string>
#include <string_view>

namespace riot::restore_plugin {

inline constexpr std::uint16_t kStringPayloadRdbVersion = 7;

std::string string_dump_payload(std::string_view value);

// Redis's crc64 (Jones polynomial, reflected, no final xor), of which
// "123456789" gives 0xe9c6d914c4b8d9ca.
std::uint64_t redis_crc64(std::uint64_t crc, std::string_view bytes);

}  // namespace riot::restore_plugin
