#include "keyspace_events.hpp"

#include <array>

namespace riot::keyspace_plugin {
namespace {

struct NamedEvent {
  std::string_view name;
  KeyEventType type;
};
constexpr std::array kNamedEvents{
    NamedEvent{"set", KeyEventType::set},
    NamedEvent{"del", KeyEventType::del},
    NamedEvent{"move_from", KeyEventType::del},
    NamedEvent{"expired", KeyEventType::expired},
    NamedEvent{"evicted", KeyEventType::evicted},
    NamedEvent{"rename_from", KeyEventType::rename_from},
    NamedEvent{"rename_to", KeyEventType::rename_to},
};

}  // namespace

std::string channel_prefix(int db) {
  return "__keyspace@" + std::to_string(db) + "__:";
}

KeyEventType event_type(std::string_view event) {
  for (const NamedEvent& named : kNamedEvents)
    if (named.name == event) return named.type;
  return KeyEventType::other;
}

}  // namespace riot::keyspace_plugin
