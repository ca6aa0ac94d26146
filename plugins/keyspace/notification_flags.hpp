#pragma once
// Whether a server publishes the keyspace notifications live replication
// needs, from its notify-keyspace-events setting.
//
// Needed: K (the __keyspace@<db>__:<key> channels) and every class of event
// that changes data: A, or all of g $ l s h z x e t (generic commands such
// as DEL, EXPIRE and RENAME; strings, lists, sets, hashes, sorted sets;
// expired, evicted; streams). E (the keyevent channels), m (key misses), n
// (new keys) and d (module types) are not needed.

#include <string>
#include <string_view>
#include <vector>

#include "riot/host_context.hpp"
#include "riot/redis/connection_options.hpp"

namespace riot::keyspace_plugin {

// The needed flags `setting` lacks, each with what it stands for
// ("K (keyspace events)"); empty when it has them all.
std::vector<std::string> missing_notification_flags(std::string_view setting);

// Asks each server for notify-keyspace-events (CONFIG GET) and throws
// std::runtime_error naming the server, the flags missing and how to set them
// (CONFIG SET, or a parameter group on ElastiCache) when one lacks any. A
// server that refuses CONFIG (renamed away on a managed service, an ACL) is
// worth a warning, not a refusal: its setting cannot be known.
void check_notifications(const std::vector<redis::ConnectionOptions>& servers, HostContext& host);

}  // namespace riot::keyspace_plugin
