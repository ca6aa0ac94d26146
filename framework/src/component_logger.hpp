#pragma once
// The logger a component instance gets: the run's logger, with every message
// prefixed by the component's name ("codec.dump: ..."), so that plugins need
// not spell their name in each message and a log line always says which
// component wrote it. Messages go to the run's sinks, filtered by its level.

#include <memory>
#include <string>

namespace spdlog {
class logger;
}

namespace riot::host {

std::shared_ptr<spdlog::logger> make_component_logger(const std::shared_ptr<spdlog::logger>& run,
                                                      const std::string& component);

}  // namespace riot::host
