#pragma once
// RIOT's command lines, turned into riot's own before they are parsed, so that
// a line copied from the documentation of RIOT 2 (`riot-redis`), RIOT 3
// (`riot`) or RIOT-X (`riotx`) runs unchanged:
//
//   riot-redis -h src -p 6379 [-a PASS] [-n DB] [-c] [--tls] replicate -h dst -p 6380 --live
//   riot -u redis://src replicate -u redis://dst --batch 10
//   riot-redis -r redis://src replicate -r redis://dst --live
//   riotx replicate redis://src redis://dst --mode live --struct
//   riotx replicate --source-host src --source-port 6379 --target-uri rediss://dst:6380
//
// becomes `riot replicate [OPTIONS] SOURCE TARGET`. The connection options
// before the command are the source's, those after it the target's (unless
// the target is named by --target-* options, as one RIOT 3 form does: then
// those after it are the source's). riot's own form passes through unchanged,
// but for `host:port` written without a scheme. Options RIOT had and riot does
// not are refused with the riot way to say it. docs/cli.md ("Coming from
// RIOT") lists every form and its mapping.

#include <string>
#include <string_view>
#include <vector>

namespace riot::app {

// Which RIOT the program was called as: the binary is the same, its name may
// select what a RIOT version meant by an option.
enum class RiotFlavour {
  riot,        // `riot`: riot's own, and RIOT 3's forms
  riot_redis,  // `riot-redis`: RIOT 2 (--ttl-tolerance in seconds)
  riotx,       // `riotx`: RIOT-X
};

// The flavour for argv[0] ("/usr/bin/riot-redis" -> riot_redis).
RiotFlavour flavour_of_program(std::string_view argv0);

// The command line `words` (argv without argv[0]) in riot's own form.
// Throws CommandLineError naming the RIOT option that riot cannot honour,
// and what to use instead.
std::vector<std::string> translate_riot_forms(RiotFlavour flavour,
                                              const std::vector<std::string>& words);

// SOURCE or TARGET as a URI: `host:port` (RIOT-X's shorthand) becomes
// `redis://host:port`; anything with a scheme is returned as it is.
std::string endpoint_uri(const std::string& text);

}  // namespace riot::app
