// Secrets by reference in a pipeline document ({"$env": ...}, {"$file": ...}):
// resolved wherever a string goes, errors that name the pointer and the
// variable or file (never a value), and printed back as references.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <string>

#include "riot/host/secret_references.hpp"
#include "support/test_files.hpp"

namespace riot::host {
namespace {

using nlohmann::json;

// An environment of the test's own: the process's is not touched.
EnvironmentLookup environment_of(std::map<std::string, std::string> variables) {
  return [variables = std::move(variables)](const std::string& name) -> std::optional<std::string> {
    const auto found = variables.find(name);
    if (found == variables.end()) return std::nullopt;
    return found->second;
  };
}

std::filesystem::path write_file(const std::string& name, const std::string& content) {
  const auto path = test::make_temp_directory("secret-references") / name;
  std::ofstream(path, std::ios::binary) << content;
  return path;
}

TEST(SecretReferences, EnvironmentReferencesResolveWhereverAStringGoes) {
  const json document = {
      {"stages",
       {{"source", {{"config", {{"password", {{"$env", "SRC"}}}}}}},
        {"sink", {{"config", {{"uri", {{"$env", "DST_URI"}}}, {"user", "bob"}}}}}}},
      {"list", {"plain", {{"$env", "SRC"}}}}};
  const SecretResolution resolution = resolve_secret_references(
      document, environment_of({{"SRC", "s3cret"}, {"DST_URI", "redis://:pw@host:6379"}}));
  ASSERT_TRUE(resolution.ok());
  EXPECT_EQ(resolution.document["stages"]["source"]["config"]["password"], "s3cret");
  EXPECT_EQ(resolution.document["stages"]["sink"]["config"]["uri"], "redis://:pw@host:6379");
  EXPECT_EQ(resolution.document["stages"]["sink"]["config"]["user"], "bob");
  EXPECT_EQ(resolution.document["list"][1], "s3cret");
  ASSERT_EQ(resolution.references.size(), 3u);
  std::set<std::string> pointers;
  for (const SecretReference& reference : resolution.references) pointers.insert(reference.pointer);
  EXPECT_EQ(pointers, (std::set<std::string>{"/list/1", "/stages/sink/config/uri",
                                             "/stages/source/config/password"}));
}

TEST(SecretReferences, FileReferencesReadTheFirstLineWithoutItsLineEnd) {
  const auto unix_file = write_file("unix", "p@ss word\nsecond line\n");
  const auto dos_file = write_file("dos", "dos-pass\r\n");
  const auto no_newline = write_file("bare", "bare-pass");
  const json document = {{"a", {{"$file", unix_file.string()}}},
                         {"b", {{"$file", dos_file.string()}}},
                         {"c", {{"$file", no_newline.string()}}}};
  const SecretResolution resolution = resolve_secret_references(document, environment_of({}));
  ASSERT_TRUE(resolution.ok()) << resolution.errors.front().to_string();
  EXPECT_EQ(resolution.document["a"], "p@ss word");
  EXPECT_EQ(resolution.document["b"], "dos-pass");
  EXPECT_EQ(resolution.document["c"], "bare-pass");
}

TEST(SecretReferences, ErrorsNameThePointerAndTheVariableOrFileNeverAValue) {
  const auto empty_file = write_file("empty", "\nsecond-line-secret\n");
  const json document = {{"unset", {{"$env", "RIOT_TEST_UNSET"}}},
                         {"empty", {{"$env", "EMPTY"}}},
                         {"missing", {{"$file", "/nonexistent/riot/secret"}}},
                         {"blank", {{"$file", empty_file.string()}}},
                         {"two", {{"$env", "A"}, {"$file", "/x"}}},
                         {"typo", {{"$envv", "A"}}},
                         {"number", {{"$env", 5}}},
                         {"ok", {{"$env", "SET"}}}};
  const SecretResolution resolution = resolve_secret_references(
      document, environment_of({{"EMPTY", ""}, {"SET", "value-of-set"}, {"A", "a-secret"}}));
  std::map<std::string, std::string> errors;
  for (const ValidationError& error : resolution.errors) errors[error.pointer] = error.message;
  ASSERT_EQ(errors.size(), 7u);
  EXPECT_EQ(errors["/unset"], "environment variable RIOT_TEST_UNSET is not set");
  EXPECT_EQ(errors["/empty"], "environment variable EMPTY is empty");
  EXPECT_NE(errors["/missing"].find("'/nonexistent/riot/secret'"), std::string::npos);
  EXPECT_NE(errors["/missing"].find("o such file or directory"), std::string::npos);
  EXPECT_NE(errors["/blank"].find("first line is empty"), std::string::npos);
  EXPECT_NE(errors["/two"].find("one key"), std::string::npos);
  EXPECT_NE(errors["/typo"].find("'$envv'"), std::string::npos);
  EXPECT_NE(errors["/number"].find("\"$env\" must name an environment variable"),
            std::string::npos);
  for (const auto& [pointer, message] : errors) {
    EXPECT_EQ(message.find("a-secret"), std::string::npos) << pointer;
    EXPECT_EQ(message.find("second-line-secret"), std::string::npos) << pointer;
  }
}

TEST(SecretReferences, KeysWithSlashesAndTildesGetEscapedPointers) {
  const json document = {{"a/b", {{"c~d", {{"$env", "X"}}}}}};
  const SecretResolution resolution =
      resolve_secret_references(document, environment_of({{"X", "x"}}));
  ASSERT_EQ(resolution.references.size(), 1u);
  EXPECT_EQ(resolution.references[0].pointer, "/a~1b/c~0d");
}

TEST(SecretReferences, RestoringPutsTheReferencesBackAndSkipsPointersThatAreGone) {
  const std::vector<SecretReference> references = {{"/config/password", {{"$env", "PW"}}},
                                                   {"/config/key_password", {{"$file", "/k"}}},
                                                   {"/gone/password", {{"$env", "OTHER"}}}};
  json printed = {{"config", {{"password", "resolved"}, {"key_password", "also"}, {"uri", "u"}}}};
  restore_secret_references(printed, references);
  const json expected = {
      {"config",
       {{"password", {{"$env", "PW"}}}, {"key_password", {{"$file", "/k"}}}, {"uri", "u"}}}};
  EXPECT_EQ(printed, expected) << printed.dump();
}

TEST(SecretReferences, ADocumentWithoutReferencesIsUnchanged) {
  const json document = {{"a", {{"b", "c"}, {"d", {1, 2, 3}}}}, {"e", nullptr}};
  const SecretResolution resolution = resolve_secret_references(document, environment_of({}));
  EXPECT_TRUE(resolution.ok());
  EXPECT_TRUE(resolution.references.empty());
  EXPECT_EQ(resolution.document, document);
}

TEST(SecretFile, ADirectoryIsRefused) {
  const auto directory = test::make_temp_directory("secret-dir");
  try {
    (void)read_secret_file(directory.string());
    FAIL() << "a directory was read as a secret file";
  } catch (const SecretFileError& error) {
    EXPECT_NE(std::string(error.what()).find("directory"), std::string::npos);
  }
}

}  // namespace
}  // namespace riot::host
