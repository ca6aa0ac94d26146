// docs/cli.md lists every option of every command: checked against what the
// launcher declares, so that an option added without its documentation fails
// here rather than in a user's hands.
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>
#include <string>

#include "cli_options.hpp"
#include "commands.hpp"

namespace riot::app {
namespace {

std::string read_cli_docs() {
  std::ifstream file(std::string(RIOT_DOCS_DIR) + "/cli.md");
  std::ostringstream text;
  text << file.rdbuf();
  return text.str();
}

// Every long name of `options` (aliases included) that docs/cli.md does not
// write as `--name`.
std::string undocumented(const po::options_description& options, const std::string& docs) {
  std::string missing;
  for (const auto& option : options.options()) {
    const auto [names, count] = option->long_names();
    for (std::size_t i = 0; i < count; ++i)
      if (docs.find("`--" + names[i]) == std::string::npos) missing += " --" + names[i];
  }
  return missing;
}

TEST(CliDocs, EveryOptionOfEveryCommandIsDocumented) {
  const std::string docs = read_cli_docs();
  ASSERT_FALSE(docs.empty()) << "cannot read " << RIOT_DOCS_DIR << "/cli.md";
  EXPECT_EQ(undocumented(global_options_description(), docs), "") << "global options";
  for (const char* name : {"replicate", "run", "validate", "plugins"}) {
    const Command* command = find_command(name);
    ASSERT_NE(command, nullptr) << name;
    EXPECT_EQ(undocumented(command->syntax().options, docs), "") << "riot " << name;
  }
}

TEST(CliDocs, EveryCommandHasItsSection) {
  const std::string docs = read_cli_docs();
  for (const char* name : {"replicate", "run", "validate", "plugins"})
    EXPECT_NE(docs.find("## `riot " + std::string(name) + "`"), std::string::npos) << name;
  EXPECT_NE(docs.find("## Coming from RIOT"), std::string::npos);
}

}  // namespace
}  // namespace riot::app
