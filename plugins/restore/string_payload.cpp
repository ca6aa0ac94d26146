#include "string_payload.hpp"

#include <array>

namespace riot::restore_plugin {
namespace {

constexpr std::uint64_t kReflectedJonesPolynomial = 0x95ac9329ac4bc9b5ULL;
constexpr char kRdbTypeString = 0;

constexpr std::array<std::uint64_t, 256> crc64_table() {
  std::array<std::uint64_t, 256> table{};
  for (std::uint64_t byte = 0; byte < 256; ++byte) {
    std::uint64_t crc = byte;
    for (int bit = 0; bit < 8; ++bit)
      crc = (crc & 1) != 0 ? (crc >> 1) ^ kReflectedJonesPolynomial : crc >> 1;
    table[byte] = crc;
  }
  return table;
}

constexpr std::array<std::uint64_t, 256> kCrc64Table = crc64_table();

void append_big_endian(std::string& out, std::uint64_t value, int bytes) {
  for (int shift = 8 * (bytes - 1); shift >= 0; shift -= 8)
    out.push_back(static_cast<char>((value >> shift) & 0xff));
}

void append_little_endian(std::string& out, std::uint64_t value, int bytes) {
  for (int i = 0; i < bytes; ++i) out.push_back(static_cast<char>((value >> (8 * i)) & 0xff));
}

// rdbSaveLen: 6 bits, 14 bits, or a marker byte and 32 or 64 bits.
void append_length(std::string& out, std::uint64_t length) {
  if (length < (1u << 6)) {
    out.push_back(static_cast<char>(length));
  } else if (length < (1u << 14)) {
    out.push_back(static_cast<char>(0x40 | (length >> 8)));
    out.push_back(static_cast<char>(length & 0xff));
  } else if (length <= UINT32_MAX) {
    out.push_back(static_cast<char>(0x80));
    append_big_endian(out, length, 4);
  } else {
    out.push_back(static_cast<char>(0x81));
    append_big_endian(out, length, 8);
  }
}

}  // namespace

std::uint64_t redis_crc64(std::uint64_t crc, std::string_view bytes) {
  for (const char byte : bytes)
    crc = kCrc64Table[(crc ^ static_cast<unsigned char>(byte)) & 0xff] ^ (crc >> 8);
  return crc;
}

std::string string_dump_payload(std::string_view value) {
  std::string payload;
  payload.reserve(value.size() + 20);
  payload.push_back(kRdbTypeString);
  append_length(payload, value.size());
  payload.append(value);
  append_little_endian(payload, kStringPayloadRdbVersion, 2);
  append_little_endian(payload, redis_crc64(0, payload), 8);
  return payload;
}

}  // namespace riot::restore_plugin
