#include "riot/redis/reply.hpp"

namespace riot::redis {

std::string_view to_string(ReplyType type) {
  switch (type) {
    case ReplyType::string:
      return "string";
    case ReplyType::array:
      return "array";
    case ReplyType::integer:
      return "integer";
    case ReplyType::nil:
      return "nil";
    case ReplyType::status:
      return "status";
    case ReplyType::error:
      return "error";
  }
  return "unknown";
}

}  // namespace riot::redis
