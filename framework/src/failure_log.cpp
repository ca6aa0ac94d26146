#include "failure_log.hpp"

#include <spdlog/spdlog.h>

#include <cctype>
#include <optional>

#include "riot/record.hpp"
#include "riot/retry.hpp"

namespace riot::host {
namespace {

// Causes kept apart; past that many, further ones are counted together, so
// that memory stays bounded whatever the errors say.
constexpr std::size_t kMaxCauses = 100;
constexpr std::string_view kOtherCauses =
    "failed for other reasons (more than 100 different errors: -d logs each key's)";

void erase_all(std::string& text, std::string_view part) {
  if (part.empty()) return;
  for (std::size_t at = text.find(part); at != std::string::npos; at = text.find(part, at))
    text.replace(at, part.size(), "\x01");
}

std::string describe(const FailureCause& cause) {
  std::vector<std::string_view> first(cause.first_keys.begin(), cause.first_keys.end());
  return describe_keys(cause.keys, first);
}

}  // namespace

std::string failure_cause_of(std::string_view key, std::string_view error) {
  std::string text(error);
  // The escaped form first: the raw key may be a part of it.
  erase_all(text, printable_key(key));
  erase_all(text, key);
  std::string signature;
  signature.reserve(text.size());
  for (const char c : text) {
    const bool digit = std::isdigit(static_cast<unsigned char>(c)) != 0;
    if (digit && !signature.empty() && signature.back() == '#') continue;
    signature.push_back(digit ? '#' : c);
  }
  return signature;
}

FailureLog::FailureLog(spdlog::logger& logger, std::size_t keys_named, Clock::duration period)
    : logger_(logger), keys_named_(keys_named), period_(period) {}

FailureLog::Cause& FailureLog::cause_for(std::string_view key, std::string_view error) {
  std::string signature = failure_cause_of(key, error);
  for (Cause& cause : causes_)
    if (cause.signature == signature) return cause;
  if (causes_.size() < kMaxCauses) {
    Cause& cause = causes_.emplace_back();
    cause.signature = std::move(signature);
    cause.failure.error = std::string(error);
    return cause;
  }
  if (causes_.size() == kMaxCauses) {
    Cause& other = causes_.emplace_back();
    other.failure.error = kOtherCauses;
  }
  return causes_.back();
}

void FailureLog::add(std::string_view key, std::string_view error) {
  std::optional<std::string> count_line;
  bool first_of_its_cause = false;
  {
    std::lock_guard lock(mutex_);
    Cause& cause = cause_for(key, error);
    FailureCause& failure = cause.failure;
    ++failure.keys;
    if (failure.first_keys.size() < keys_named_) failure.first_keys.emplace_back(key);
    const Clock::time_point now = Clock::now();
    if (failure.keys == 1) {
      first_of_its_cause = true;
      cause.said_at = now;
    } else if (now - cause.said_at >= period_) {
      count_line = describe(failure) + " failed so far: " + failure.error;
      cause.said_at = now;
    }
  }
  const auto level = first_of_its_cause ? spdlog::level::warn : spdlog::level::debug;
  if (logger_.should_log(level)) logger_.log(level, "key \"{}\": {}", printable_key(key), error);
  if (count_line) logger_.warn("{}", *count_line);
}

std::vector<FailureCause> FailureLog::causes() const {
  std::lock_guard lock(mutex_);
  std::vector<FailureCause> causes;
  causes.reserve(causes_.size());
  for (const Cause& cause : causes_) causes.push_back(cause.failure);
  return causes;
}

}  // namespace riot::host
