#include "reply_shapes.hpp"

#include "riot/redis/errors.hpp"

namespace riot::struct_plugin {

bool is_wrong_type(const redis::Reply& reply) noexcept {
  return reply.is_error() && std::string_view(reply.str).starts_with("WRONGTYPE");
}

ReadStatus wrong_type_among(std::span<const redis::Reply> replies) noexcept {
  for (const redis::Reply& reply : replies) {
    if (is_wrong_type(reply)) return ReadStatus::wrong_type;
  }
  return ReadStatus::value;
}

void throw_unexpected(std::string_view command, const redis::Reply& reply) {
  // The reader adds the key and the endpoint: a datatype knows neither.
  const std::string what =
      reply.is_error() ? reply.str
                       : "unexpected " + std::string(redis::to_string(reply.type)) + " reply";
  throw redis::ReplyError("", std::string(command) + ": " + what);
}

void move_strings(std::string_view command, redis::Reply& reply, std::vector<std::string>& parts) {
  if (!reply.is_array()) throw_unexpected(command, reply);
  parts.reserve(parts.size() + reply.elements.size());
  for (redis::Reply& element : reply.elements) {
    if (!element.is_string()) throw_unexpected(command, element);
    parts.push_back(std::move(element.str));
  }
}

std::int64_t integer_of(std::string_view command, const redis::Reply& reply) {
  if (!reply.is_integer()) throw_unexpected(command, reply);
  return reply.integer;
}

}  // namespace riot::struct_plugin
