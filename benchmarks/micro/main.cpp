// riot's microbenchmarks: command encoding and reply parsing, each beside
// hiredis's implementation measured in the same run. The implementations are
// checked against hiredis first; the run stops if they disagree.
//
//   bin/riot-micro-benchmarks [--benchmark_filter=encode/restore] [...]
// A table of the medians of 5 runs:
//   bin/riot-micro-benchmarks --benchmark_repetitions=5
//     --benchmark_report_aggregates_only=true --benchmark_out=micro.json
//     --benchmark_out_format=json
//   python3 benchmarks/micro/summarize.py micro.json

#include <benchmark/benchmark.h>

#include <cstdio>
#include <string>

#include "workload.hpp"

namespace riot::micro {
void register_encode_benchmarks();
void register_parse_benchmarks();
}  // namespace riot::micro

int main(int argc, char** argv) {
  for (const std::string& failure : {riot::micro::check_encoder_against_hiredis(),
                                     riot::micro::check_parser_against_hiredis()}) {
    if (!failure.empty()) {
      std::fprintf(stderr, "riot-micro-benchmarks: %s\n", failure.c_str());
      return 1;
    }
  }
  riot::micro::register_encode_benchmarks();
  riot::micro::register_parse_benchmarks();
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
