#include "riot/record.hpp"

#include <algorithm>
#include <cstdio>

namespace riot {

std::string_view to_string(KeyOrigin origin) {
  switch (origin) {
    case KeyOrigin::scan:
      return "scan";
    case KeyOrigin::notification:
      return "notification";
    case KeyOrigin::reconcile:
      return "reconcile";
  }
  return "unknown";
}

// The names are Redis's own keyspace event names, so logs read like the
// notifications they came from.
std::string_view to_string(KeyEventType event) {
  switch (event) {
    case KeyEventType::set:
      return "set";
    case KeyEventType::del:
      return "del";
    case KeyEventType::expired:
      return "expired";
    case KeyEventType::evicted:
      return "evicted";
    case KeyEventType::rename_from:
      return "rename_from";
    case KeyEventType::rename_to:
      return "rename_to";
    case KeyEventType::other:
      return "other";
  }
  return "unknown";
}

std::string_view to_string(RecordKind kind) {
  switch (kind) {
    case RecordKind::dump:
      return "dump";
    case RecordKind::erase:
      return "erase";
    case RecordKind::value:
      return "value";
    case RecordKind::digest:
      return "digest";
  }
  return "unknown";
}

std::string to_string(RecordForms forms) {
  std::string names;
  for (RecordKind kind :
       {RecordKind::dump, RecordKind::value, RecordKind::erase, RecordKind::digest}) {
    if (!forms.has(kind)) continue;
    if (!names.empty()) names += ", ";
    names += to_string(kind);
  }
  return names.empty() ? "none" : names;
}

namespace {

// Writes the escaped form of one byte of a key into `out` and returns its
// length (1 to 4 characters).
std::size_t escape_byte(unsigned char byte, char (&out)[5]) {
  const auto two = [&](char c) {
    out[0] = '\\';
    out[1] = c;
    return std::size_t{2};
  };
  switch (byte) {
    case '\r':
      return two('r');
    case '\n':
      return two('n');
    case '\t':
      return two('t');
    case '\\':
      return two('\\');
    case '"':
      return two('"');
    default:
      break;
  }
  if (byte >= 0x20 && byte < 0x7f) {
    out[0] = static_cast<char>(byte);
    return 1;
  }
  std::snprintf(out, sizeof out, "\\x%02x", byte);
  return 4;
}

}  // namespace

std::string printable_key(std::string_view key, std::size_t max_length) {
  std::string out;
  out.reserve(std::min(key.size(), max_length) + 3);
  char escaped[5];
  for (const char c : key) {
    const std::size_t length = escape_byte(static_cast<unsigned char>(c), escaped);
    // An escape is never cut in half: "\x0" would read as a different byte.
    if (out.size() + length > max_length) return out + "...";
    out.append(escaped, length);
  }
  return out;
}

}  // namespace riot
