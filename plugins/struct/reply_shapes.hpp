#pragma once
// Reading the replies of the core datatypes' commands: what a WRONGTYPE says,
// and the error every unexpected shape makes.

#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "riot/datatype.hpp"
#include "riot/redis/reply.hpp"

namespace riot::struct_plugin {

// The key holds another type now (it was replaced since its TYPE was read).
bool is_wrong_type(const redis::Reply& reply) noexcept;

// ReadStatus::wrong_type when any of `replies` is a WRONGTYPE error, else
// ReadStatus::value.
ReadStatus wrong_type_among(std::span<const redis::Reply> replies) noexcept;

// Throws redis::ReplyError: "HSCAN: unexpected integer reply", or the error
// reply the command got ("HSCAN: NOPERM ...").
[[noreturn]] void throw_unexpected(std::string_view command, const redis::Reply& reply);

// Moves the bulk strings of the array `reply` to the end of `parts`; throws
// (throw_unexpected) for any element that is not a string.
void move_strings(std::string_view command, redis::Reply& reply, std::vector<std::string>& parts);

// The integer of `reply`, or throw_unexpected.
std::int64_t integer_of(std::string_view command, const redis::Reply& reply);

}  // namespace riot::struct_plugin
