#pragma once
// RIOT's options that riot does not have, each with the riot way to get what
// it was for (riot_forms.hpp refuses them with this text). An option riot
// declares is never refused here: it is riot's own.

#include <optional>
#include <string>
#include <string_view>

namespace riot::app {

// The message for RIOT's option `name` (without its dashes), or nothing when
// `name` is not such an option.
std::optional<std::string> riot_refusal(std::string_view name);

}  // namespace riot::app
