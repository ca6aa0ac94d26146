#pragma once
// The launcher's exit codes: what scripts and CI jobs test after a run.

namespace riot::app {

enum ExitCode : int {
  kExitSuccess = 0,
  kExitKeysFailed = 1,  // the run finished but some keys could not be written
  kExitUsage = 2,       // bad option or URI, invalid pipeline, plugin load failure, target = source
  kExitFatal = 3,       // the run stopped on a fatal error (connection, a server refusing
                        // every key, authentication...)
  kExitDifferences = 4,    // a comparison found differences (those left after a repair)
  kExitInterrupted = 130,  // SIGINT or SIGTERM (128 + SIGINT, the shell's convention)
};

// For `--help` and docs/cli.md.
inline constexpr const char* kExitCodesHelp =
    "Exit codes:\n"
    "  0    success\n"
    "  1    the run finished but some keys failed (listed in the summary)\n"
    "  2    usage or configuration error: bad option or URI, invalid pipeline,\n"
    "       plugin load failure, a target that is the database read from\n"
    "  3    the run stopped on a fatal error (connection, authentication, a\n"
    "       server refusing every key such as a read-only replica, ...)\n"
    "  4    a comparison found differences between the databases (those left\n"
    "       after --repair, when asked)\n"
    "  130  interrupted by SIGINT or SIGTERM (the summary is still printed)\n"
    "  Several apply: 130, then 3, 2, 1, 4.\n";

}  // namespace riot::app
