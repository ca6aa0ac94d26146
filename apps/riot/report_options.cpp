#include "report_options.hpp"

#include "option_values.hpp"
#include "riot/host/run_report.hpp"
#include "usage_error.hpp"

namespace riot::app {

ReportOptions read_report_options(const po::variables_map& values) {
  ReportOptions options;
  options.report_path = read_optional(values, "report");
  if (options.report_path) {
    if (const auto why = host::unwritable_report(*options.report_path)) {
      throw CommandLineError("--report '" + *options.report_path + "': cannot be written: " + *why);
    }
  }
  return options;
}

}  // namespace riot::app
