#pragma once
// Keyspace notifications as key events: the channel "__keyspace@<db>__:<key>"
// names the key (binary-safe), the message names what happened to it.

#include <string>
#include <string_view>

#include "riot/record.hpp"

namespace riot::keyspace_plugin {

// "__keyspace@<db>__:": what every channel of the database starts with.
std::string channel_prefix(int db);

// What the event named by a notification ("del", "expired", "hset"...) did to
// the key. DEL and UNLINK both notify "del"; a MOVE to another database
// ("move_from") takes the key out of this one, as a delete does. Every other
// event leaves a value to copy: "set" for SET itself, `other` for the rest
// (the reader reads the key whatever the event says).
KeyEventType event_type(std::string_view event);

}  // namespace riot::keyspace_plugin
