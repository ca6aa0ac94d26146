#include "stream_parts.hpp"

#include <charconv>
#include <stdexcept>

namespace riot::stream_plugin {
namespace {

// Walks the parts in layout order; every failure names the part's position.
class PartsCursor {
 public:
  explicit PartsCursor(std::span<const std::string> parts) : parts_(parts) {}

  std::string_view text(std::string_view what) { return take(what); }

  std::int64_t number(std::string_view what) {
    const std::string& part = take(what);
    std::int64_t value = 0;
    const auto [end, error] = std::from_chars(part.data(), part.data() + part.size(), value);
    if (part.empty() || error != std::errc() || end != part.data() + part.size() || value < 0) {
      fail(what, "is not a number");
    }
    return value;
  }

  // A count of items each made of at least `parts_per_item` parts: refused
  // when the parts left cannot hold them (a garbled count never allocates).
  std::size_t count(std::string_view what, std::size_t parts_per_item) {
    const auto value = static_cast<std::size_t>(number(what));
    if (value > (parts_.size() - next_) / parts_per_item) fail(what, "exceeds the parts left");
    return value;
  }

  std::span<const std::string> span(std::size_t size, std::string_view what) {
    if (size > parts_.size() - next_) fail(what, "exceeds the parts left");
    const std::span<const std::string> result = parts_.subspan(next_, size);
    next_ += size;
    return result;
  }

  bool at_end() const noexcept { return next_ == parts_.size(); }
  std::size_t position() const noexcept { return next_; }

  [[noreturn]] void fail(std::string_view what, std::string_view problem) const {
    throw std::invalid_argument("stream value parts: part " + std::to_string(next_ - 1) + " (" +
                                std::string(what) + ") " + std::string(problem));
  }

 private:
  const std::string& take(std::string_view what) {
    if (next_ == parts_.size()) {
      throw std::invalid_argument("stream value parts: " + std::string(what) +
                                  " missing after part " + std::to_string(next_));
    }
    return parts_[next_++];
  }

  std::span<const std::string> parts_;
  std::size_t next_ = 0;
};

GroupView parse_group(PartsCursor& cursor) {
  GroupView group;
  group.name = cursor.text("group name");
  group.last_delivered_id = cursor.text("last delivered id");
  group.entries_read = cursor.text("entries read");
  const std::size_t consumers = cursor.count("consumer count", 1);
  group.consumers.reserve(consumers);
  for (std::size_t i = 0; i < consumers; ++i) group.consumers.push_back(cursor.text("consumer"));
  const std::size_t pending = cursor.count("pending entry count", 4);
  group.pending.reserve(pending);
  for (std::size_t i = 0; i < pending; ++i) {
    PendingEntryView entry;
    entry.id = cursor.text("pending entry id");
    entry.consumer = cursor.text("pending entry consumer");
    entry.delivery_time_ms = cursor.number("delivery time");
    entry.delivery_count = cursor.number("delivery count");
    group.pending.push_back(entry);
  }
  return group;
}

}  // namespace

void append_count(std::vector<std::string>& parts, std::size_t count) {
  parts.push_back(std::to_string(count));
}

StreamView parse_stream_parts(std::span<const std::string> parts, bool with_metadata) {
  PartsCursor cursor(parts);
  StreamView view;
  const std::size_t entries = cursor.count("entry count", 2);
  view.entries.reserve(entries);
  for (std::size_t i = 0; i < entries; ++i) {
    StreamEntryView entry;
    entry.id = cursor.text("entry id");
    const std::size_t pairs = cursor.count("field count", 2);
    entry.fields = cursor.span(pairs * 2, "entry fields");
    view.entries.push_back(entry);
  }
  if (with_metadata) {
    StreamMetadataView metadata;
    metadata.last_id = cursor.text("last generated id");
    metadata.entries_added = cursor.text("entries added");
    metadata.max_deleted_id = cursor.text("max deleted entry id");
    const std::size_t groups = cursor.count("group count", 5);
    metadata.groups.reserve(groups);
    for (std::size_t i = 0; i < groups; ++i) metadata.groups.push_back(parse_group(cursor));
    view.metadata = std::move(metadata);
  }
  if (!cursor.at_end()) {
    throw std::invalid_argument(
        "stream value parts: " + std::to_string(parts.size() - cursor.position()) +
        " parts left over after the value");
  }
  return view;
}

}  // namespace riot::stream_plugin
