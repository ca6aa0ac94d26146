#pragma once
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace riot::redis {

enum class ReplyType { string, array, integer, nil, status, error };

// One RESP reply, built directly by the hiredis reader (no intermediate
// redisReply copy). Bulk strings are binary-safe.
struct Reply {
  ReplyType type = ReplyType::nil;
  std::int64_t integer = 0;
  std::string str;              // string, status and error replies
  std::vector<Reply> elements;  // array replies

  bool is_nil() const noexcept { return type == ReplyType::nil; }
  bool is_error() const noexcept { return type == ReplyType::error; }
  bool is_array() const noexcept { return type == ReplyType::array; }
  bool is_string() const noexcept { return type == ReplyType::string; }
  bool is_integer() const noexcept { return type == ReplyType::integer; }
  bool is_status() const noexcept { return type == ReplyType::status; }
};

std::string_view to_string(ReplyType type);

}  // namespace riot::redis
