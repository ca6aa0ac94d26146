#include "riot/values/value_writer.hpp"

#include <algorithm>
#include <utility>

#include "riot/values/decimal_text.hpp"
#include "staging_key.hpp"

namespace riot::values {

// What a record's transaction holds, in order: MULTI; DEL target when
// `clear_first`; the datatype's writes into `target`; PEXPIRE target when
// `expire`; the end; EXEC. A `single` record is one command instead.
struct ValueWriter::Plan {
  enum class End {
    stay,       // the value stays where it was written
    rename,     // RENAME staging key
    rename_nx,  // RENAMENX staging key, then DEL staging (left when the key exists)
    drop,       // DEL key staging: a big key whose chunks held nothing is an empty value
  };

  std::string target;
  bool clear_first = false;
  bool expire = false;
  End end = End::stay;

  std::size_t prefix() const noexcept { return clear_first ? 1 : 0; }
  std::size_t suffix() const noexcept {
    const std::size_t end_commands = end == End::stay ? 0 : end == End::rename_nx ? 2 : 1;
    return (expire ? 1 : 0) + end_commands;
  }
  // The name of the command at `position` among the queued ones, for messages.
  std::string step_name(std::size_t position, std::size_t datatype_commands,
                        std::string_view type) const {
    if (position < prefix()) return "DEL";
    if (position < prefix() + datatype_commands) return std::string(type) + " write";
    const std::size_t after = position - prefix() - datatype_commands;
    if (expire && after == 0) return "PEXPIRE";
    switch (end) {
      case End::rename:
        return "RENAME";
      case End::rename_nx:
        return after == (expire ? 1 : 0) ? "RENAMENX" : "DEL";
      case End::drop:
      case End::stay:
        break;
    }
    return "DEL";
  }
};

ValueWriter::ValueWriter(WriteOptions options, bool replace, HostContext& host)
    : options_(options), replace_(replace), host_(host), run_tag_(new_run_tag()) {}

std::string ValueWriter::staging_key(std::string_view key, std::uint64_t reading) const {
  return values::staging_key(key, run_tag_ + ":" + std::to_string(reading));
}

std::vector<std::uint64_t> ValueWriter::readings_of(std::string_view key) const {
  std::vector<std::uint64_t> readings;
  for (const auto& [reading, open] : open_) {
    if (open.key == key) readings.push_back(reading);
  }
  return readings;
}

ValueWriter::Plan ValueWriter::plan_for(const Record& record, std::size_t datatype_commands) const {
  Plan plan;
  const bool persistent = record.expiry.is_persistent();
  if (options_.merge == MergePolicy::merge) {
    plan.target = record.key;
    plan.expire = !persistent && record.chunk.last;
    return plan;
  }
  const bool whole = record.chunk.is_whole();
  if (whole && replace_) {
    plan.target = record.key;
    plan.clear_first = true;
    plan.expire = !persistent;
    return plan;
  }
  plan.target = staging_key(record.key, record.chunk.reading);
  plan.clear_first = record.chunk.index == 0;
  if (!record.chunk.last) return plan;
  const auto open = open_.find(record.chunk.reading);
  const bool wrote = datatype_commands > 0 || (open != open_.end() && open->second.wrote);
  if (!wrote) {
    // Nothing to build: a whole empty value left alone under replace=false,
    // or a big key whose chunks held nothing, which is an empty value.
    plan.end = whole ? Plan::End::stay : Plan::End::drop;
    return plan;
  }
  plan.expire = !persistent;
  plan.end = replace_ ? Plan::End::rename : Plan::End::rename_nx;
  return plan;
}

const Datatype* ValueWriter::datatype_for(const Record& record) {
  if (const Datatype* datatype = host_.datatype(record.type)) return datatype;
  host_.report_failure(record.key, "not written: no datatype serves type \"" +
                                       printable_key(record.type) +
                                       "\" (load a plugin that registers datatype." +
                                       printable_key(record.type) + ")");
  if (!record.chunk.last) abandoned_.insert(record.chunk.reading);
  return nullptr;
}

std::size_t ValueWriter::append(const Record& record, redis::KeyedCommands& commands) {
  if (record.kind == RecordKind::erase) return append_erase(record, commands);
  const bool first = record.chunk.index == 0;
  const std::uint64_t reading = record.chunk.reading;
  if (!first && abandoned_.contains(reading)) {
    if (record.chunk.last) abandoned_.erase(reading);  // the reading ends here
    return 0;
  }
  const Datatype* datatype = datatype_for(record);
  if (datatype == nullptr) return 0;
  if (!first && !open_.contains(reading)) {
    host_.report_failure(record.key, "not written: chunk " + std::to_string(record.chunk.index) +
                                         " came without the key's first chunk");
    if (!record.chunk.last) abandoned_.insert(reading);
    return 0;
  }

  const std::int64_t ttl_ms =
      record.expiry.is_persistent()
          ? 0
          : std::max<std::int64_t>(record.expiry.remaining_ms(Expiry::Clock::now()), 1);
  if (record.chunk.is_whole() && replace_ && options_.merge == MergePolicy::overwrite) {
    if (datatype->append_replace(record, record.key, ttl_ms, commands) == 1) return 1;
  }

  // The prefix does not depend on the datatype's commands, the end does.
  const Plan head = plan_for(record, 1);
  commands.append(record.key, {"MULTI"});
  if (head.clear_first) commands.append(record.key, {"DEL", head.target});
  const std::size_t written = datatype->append_write(record, head.target, options_, commands);
  const Plan plan = plan_for(record, written);
  const DecimalText ttl(ttl_ms);
  if (plan.expire) commands.append(record.key, {"PEXPIRE", plan.target, ttl.view()});
  switch (plan.end) {
    case Plan::End::stay:
      break;
    case Plan::End::rename:
      commands.append(record.key, {"RENAME", plan.target, record.key});
      break;
    case Plan::End::rename_nx:
      commands.append(record.key, {"RENAMENX", plan.target, record.key});
      commands.append(record.key, {"DEL", plan.target});
      break;
    case Plan::End::drop:
      commands.append(record.key, {"DEL", record.key, plan.target});
      break;
  }
  commands.append(record.key, {"EXEC"});

  if (!record.chunk.is_whole()) {
    OpenReading& open = open_[reading];
    if (first) open = OpenReading{record.key, false};
    open.wrote = open.wrote || written > 0;
  }
  return 1 + plan.prefix() + written + plan.suffix() + 1;
}

std::size_t ValueWriter::append_erase(const Record& record, redis::KeyedCommands& commands) {
  // The staging keys of the key's readings under way go too (a big key
  // deleted on the source during its copy): all in the key's slot, so one
  // command deletes them all, on a cluster too.
  std::vector<std::string> staging;
  for (const std::uint64_t reading : readings_of(record.key))
    staging.push_back(staging_key(record.key, reading));
  std::vector<std::string_view> args{"DEL", record.key};
  args.insert(args.end(), staging.begin(), staging.end());
  commands.append(record.key, std::span<const std::string_view>(args));
  return 1;
}

WriteJudgement ValueWriter::judge(const Record& record, std::span<const redis::Reply> replies) {
  if (record.kind == RecordKind::erase) {
    if (replies.empty() || !replies[0].is_error()) {
      // Their staging keys are gone: the rest of their chunks is skipped.
      for (const std::uint64_t reading : readings_of(record.key)) {
        open_.erase(reading);
        abandoned_.insert(reading);
      }
      return {};
    }
    return WriteJudgement::refused("DEL failed: " + replies[0].str, replies[0].str);
  }
  const Datatype* datatype = host_.datatype(record.type);
  if (datatype == nullptr || replies.empty())
    return WriteJudgement::failed("not written: no reply was judged");
  if (replies.size() == 1) {  // one command from append_replace
    std::string error = datatype->check_write_reply(0, replies[0]);
    if (error.empty()) return {};
    return WriteJudgement::refused(record.type + " write failed: " + error,
                                   replies[0].is_error() ? replies[0].str : std::string());
  }

  // MULTI, queued commands, EXEC.
  const std::size_t queued = replies.size() - 2;
  const Plan empty = plan_for(record, 0);
  const bool nothing_written = queued == empty.prefix() + empty.suffix();
  const Plan plan = nothing_written ? empty : plan_for(record, 1);
  const std::size_t written = queued - plan.prefix() - plan.suffix();
  const redis::Reply& exec = replies.back();
  if (!exec.is_array()) {
    // EXECABORT: a command was refused when queued (OOM at maxmemory), and
    // the transaction applied nothing.
    for (std::size_t i = 0; i < queued; ++i) {
      const redis::Reply& reply = replies[1 + i];
      if (!reply.is_error()) continue;
      return WriteJudgement::refused(
          plan.step_name(i, written, record.type) + " refused: " + reply.str, reply.str);
    }
    const std::string what = replies[0].is_error() ? replies[0].str : exec.str;
    return WriteJudgement::refused(
        "transaction failed: " + (what.empty() ? std::string("EXEC answered nil") : what),
        exec.is_error() ? exec.str : std::string());
  }
  for (std::size_t i = 0; i < exec.elements.size(); ++i) {
    const redis::Reply& reply = exec.elements[i];
    std::string error;
    if (i >= plan.prefix() && i < plan.prefix() + written) {
      error = datatype->check_write_reply(i - plan.prefix(), reply);
    } else if (reply.is_error()) {
      error = reply.str;
    } else if (plan.end == Plan::End::rename_nx && plan.step_name(i, written, "") == "RENAMENX" &&
               reply.is_integer() && reply.integer == 0) {
      if (record.chunk.last) finish_key(record);
      return WriteJudgement::left_alone();
    }
    if (error.empty()) continue;
    return WriteJudgement::refused(plan.step_name(i, written, record.type) + " failed: " + error,
                                   reply.is_error() ? reply.str : std::string());
  }
  if (record.chunk.last) finish_key(record);
  return {};
}

void ValueWriter::finish_key(const Record& record) {
  open_.erase(record.chunk.reading);
}

void ValueWriter::abandon(const Record& record) {
  if (record.kind != RecordKind::value) return;
  const bool staged =
      options_.merge == MergePolicy::overwrite && (!record.chunk.is_whole() || !replace_);
  if (staged) discards_.push_back(staging_key(record.key, record.chunk.reading));
  open_.erase(record.chunk.reading);
  if (!record.chunk.last) abandoned_.insert(record.chunk.reading);
}

std::vector<std::string> ValueWriter::take_discards() {
  return std::exchange(discards_, {});
}

std::size_t ValueWriter::abandon_unfinished() {
  const std::size_t unfinished = open_.size();
  for (const auto& [reading, open] : open_) {
    if (options_.merge == MergePolicy::overwrite)
      discards_.push_back(staging_key(open.key, reading));
  }
  open_.clear();
  return unfinished;
}

}  // namespace riot::values
