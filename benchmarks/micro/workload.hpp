#pragma once
// The data the microbenchmarks encode and parse, the encoders and parsers
// they compare, and the checks that the compared implementations agree (run
// before any measurement, so that a figure never comes from a wrong result).

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace riot::micro {

// Keys as a snapshot sees them ("bench:user:0000123:profile", 26 bytes:
// longer than the short-string buffer, as most real keys are) and DUMP-like
// payloads of random bytes.
std::vector<std::string> make_keys(std::size_t count);
std::string make_payload(std::size_t size, std::uint32_t seed);

// The commands encoded for `keys` keys, written in RESP (with riot's
// encoder), and the replies a server sends back, one stream per batch.
std::string dump_pttl_replies(std::size_t keys, std::size_t payload_size);
std::string restore_replies(std::size_t keys);
std::string scan_reply(std::size_t keys);

// riot's CommandBuffer as it was before the hand-written encoder: argv
// copied into scratch vectors, hiredis's redisFormatCommandArgv (one malloc
// and one sprintf-style pass per command), the result copied into the buffer
// and freed. The "before" of the CommandBuffer-level comparison.
class LegacyCommandBuffer {
 public:
  void append(std::span<const std::string_view> args);
  void clear() noexcept;
  std::string_view bytes() const noexcept { return buffer_; }

 private:
  std::string buffer_;
  std::vector<std::size_t> ends_;
  std::vector<const char*> argv_;
  std::vector<std::size_t> lengths_;
};

// redisFormatCommandArgv alone: formats one command into hiredis's own
// allocation and frees it; returns its length.
std::size_t hiredis_format(std::span<const std::string_view> args);

// Compares riot's encoder with redisFormatCommandArgv on random commands,
// and riot's reply reader with hiredis's default one on the benchmark
// streams. Returns the first difference, or an empty string.
std::string check_encoder_against_hiredis();
std::string check_parser_against_hiredis();

}  // namespace riot::micro
