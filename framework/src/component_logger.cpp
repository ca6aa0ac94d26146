#include "component_logger.hpp"

#include <spdlog/sinks/base_sink.h>
#include <spdlog/spdlog.h>

#include <mutex>
#include <vector>

namespace riot::host {

namespace {

// Prepends "<component>: " to each message and hands it to the run's sinks,
// which format and write it as any other line.
class PrefixingSink final : public spdlog::sinks::base_sink<std::mutex> {
 public:
  PrefixingSink(std::vector<spdlog::sink_ptr> targets, std::string prefix)
      : targets_(std::move(targets)), prefix_(std::move(prefix)) {}

 protected:
  void sink_it_(const spdlog::details::log_msg& message) override {
    buffer_.assign(prefix_);
    buffer_.append(message.payload.data(), message.payload.size());
    spdlog::details::log_msg prefixed(message);
    prefixed.payload = spdlog::string_view_t(buffer_.data(), buffer_.size());
    for (const spdlog::sink_ptr& target : targets_) {
      if (target->should_log(prefixed.level)) target->log(prefixed);
    }
  }

  void flush_() override {
    for (const spdlog::sink_ptr& target : targets_) target->flush();
  }

 private:
  std::vector<spdlog::sink_ptr> targets_;
  std::string prefix_;
  std::string buffer_;  // guarded by the base sink's mutex
};

}  // namespace

std::shared_ptr<spdlog::logger> make_component_logger(const std::shared_ptr<spdlog::logger>& run,
                                                      const std::string& component) {
  auto sink = std::make_shared<PrefixingSink>(run->sinks(), component + ": ");
  auto logger = std::make_shared<spdlog::logger>(run->name() + "." + component, std::move(sink));
  logger->set_level(run->level());
  logger->flush_on(run->flush_level());
  return logger;
}

}  // namespace riot::host
