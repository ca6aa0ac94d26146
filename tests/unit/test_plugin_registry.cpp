// PluginRegistry against the fixture plugins of tests/fixtures: what loads,
// what is refused and with which message, and how long libraries stay loaded.

#include <elf.h>
#include <gtest/gtest.h>
#include <spdlog/spdlog.h>
#include <unistd.h>

#include <boost/dll/shared_library.hpp>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <optional>
#include <string>
#include <vector>

#include "riot/host/plugin_registry.hpp"

namespace {

namespace fs = std::filesystem;
using riot::host::LoadedComponent;

constexpr const char* kNotAPlugin =
    "not a riot plugin: its dynamic symbol table has no entry point 'riot_plugin_v1' (the file "
    "was not loaded)";
using riot::host::PluginError;
using riot::host::PluginRegistry;

fs::path fixture_dir(const std::string& scenario) {
  return fs::path(RIOT_FIXTURE_PLUGIN_DIR) / scenario;
}

fs::path fixture_plugin(const std::string& scenario, const std::string& name) {
  return fixture_dir(scenario) / ("riot-plugin-fixture-" + name + ".so");
}

// The PluginError message of `load`, or a test failure if it did not throw one.
template <typename Load>
std::string refusal(Load load) {
  try {
    load();
  } catch (const PluginError& error) {
    return error.what();
  }
  ADD_FAILURE() << "expected a PluginError";
  return {};
}

std::vector<std::string> component_names(const PluginRegistry& registry) {
  std::vector<std::string> names;
  for (const LoadedComponent* component : registry.components()) {
    names.push_back(component->info->name);
  }
  return names;
}

// How many times the refused fixture's describe() ran. The test keeps its own
// handle open so that the count survives the registry unloading the library.
class DescribeCounter {
 public:
  explicit DescribeCounter(const fs::path& plugin)
      : library_(boost::dll::fs::path(plugin.native()), boost::dll::load_mode::rtld_now) {}
  int calls() const { return library_.get<int>("riot_fixture_describe_calls"); }

 private:
  boost::dll::shared_library library_;
};

TEST(PluginRegistry, LoadsEveryComponentOfAPlugin) {
  PluginRegistry registry;
  const fs::path good = fixture_plugin("good", "good");
  registry.load_file(good);

  EXPECT_EQ(component_names(registry),
            (std::vector<std::string>{"test.reader", "test.sink", "test.source"}));
  const LoadedComponent* sink = registry.find("test.sink");
  ASSERT_NE(sink, nullptr);
  EXPECT_EQ(sink->info->kind(), riot::ComponentKind::sink);
  EXPECT_EQ(sink->info->description, "counts records as written");
  EXPECT_EQ(sink->file, good);
  ASSERT_NE(sink->library, nullptr);
  EXPECT_TRUE(sink->library->is_loaded());
  EXPECT_EQ(registry.find("test.source")->info->kind(), riot::ComponentKind::source);
  EXPECT_EQ(registry.find("test.reader")->info->kind(), riot::ComponentKind::reader);
  EXPECT_EQ(registry.find("test.missing"), nullptr);
  EXPECT_EQ(registry.loaded_files(), std::vector<fs::path>{good});
}

TEST(PluginRegistry, LoadsThePluginsOfADirectoryInNameOrderSkippingOtherFiles) {
  PluginRegistry registry;
  registry.load_directory(fixture_dir("good"));  // also holds README.txt

  EXPECT_EQ(registry.loaded_files(), (std::vector<fs::path>{fixture_plugin("good", "good"),
                                                            fixture_plugin("good", "more")}));
  // Sorted by name whichever file registered them.
  EXPECT_EQ(component_names(registry),
            (std::vector<std::string>{"test.null", "test.reader", "test.sink", "test.source"}));
  EXPECT_EQ(registry.find("test.null")->file, fixture_plugin("good", "more"));
}

TEST(PluginRegistry, LoadingAFileAgainChangesNothing) {
  PluginRegistry registry;
  registry.load_file(fixture_plugin("good", "good"));
  // The same file again, spelt differently, then its whole directory.
  registry.load_file(fixture_dir("good") / "." / "riot-plugin-fixture-good.so");
  registry.load_directory(fixture_dir("good"));

  EXPECT_EQ(registry.loaded_files().size(), 2u);
  EXPECT_EQ(registry.components().size(), 4u);
}

TEST(PluginRegistry, RefusesAMissingDirectory) {
  PluginRegistry registry;
  EXPECT_EQ(refusal([&] { registry.load_directory("/nonexistent/riot-plugins"); }),
            "plugin directory '/nonexistent/riot-plugins' does not exist");
}

TEST(PluginRegistry, RefusesADirectoryThatIsAFile) {
  PluginRegistry registry;
  const fs::path file = fixture_plugin("good", "good");
  EXPECT_EQ(refusal([&] { registry.load_directory(file); }),
            "plugin directory '" + file.string() + "' is not a directory");
}

TEST(PluginRegistry, RefusesAMissingFile) {
  PluginRegistry registry;
  EXPECT_EQ(refusal([&] { registry.load_file("/nonexistent/riot-plugin-x.so"); }),
            "plugin /nonexistent/riot-plugin-x.so: no such file");
}

// A file named on purpose must be a riot plugin; it is judged by its
// symbol table, without loading it.
TEST(PluginRegistry, RefusesAFileThatIsNotARiotPluginWithoutLoadingIt) {
  for (const fs::path& file :
       {fixture_plugin("no-entry", "no-entry"), fixture_dir("not-elf") / "riot-plugin-not-elf.so",
        fixture_dir("foreign") / "libforeign-library.so"}) {
    PluginRegistry registry;
    EXPECT_EQ(refusal([&] { registry.load_file(file); }),
              "plugin " + file.string() + ": " + kNotAPlugin);
    EXPECT_TRUE(registry.loaded_files().empty());
  }
}

// Any library may sit in a plugin directory: it is skipped, and listed once
// however often its directory is loaded. None of its code runs.
TEST(PluginRegistry, SkipsTheFilesOfADirectoryThatAreNotRiotPlugins) {
  const fs::path marker =
      fs::temp_directory_path() / ("riot-foreign-marker-" + std::to_string(::getpid()));
  fs::remove(marker);
  ASSERT_EQ(::setenv("RIOT_FIXTURE_FOREIGN_MARKER", marker.c_str(), 1), 0);
  PluginRegistry registry;
  for (const char* scenario : {"foreign", "no-entry", "not-elf", "foreign"}) {
    registry.load_directory(fixture_dir(scenario));
  }
  ::unsetenv("RIOT_FIXTURE_FOREIGN_MARKER");

  EXPECT_TRUE(registry.loaded_files().empty());
  std::vector<fs::path> skipped;
  for (const riot::host::SkippedFile& file : registry.skipped_files()) {
    skipped.push_back(file.file);
    EXPECT_EQ(file.reason, kNotAPlugin);
  }
  EXPECT_EQ(skipped, (std::vector<fs::path>{fixture_dir("foreign") / "libforeign-library.so",
                                            fixture_plugin("no-entry", "no-entry"),
                                            fixture_dir("not-elf") / "riot-plugin-not-elf.so"}));
  EXPECT_FALSE(fs::exists(marker)) << "the foreign library's constructor ran";

  // Named on purpose afterwards, it is still an error.
  const fs::path foreign = fixture_dir("foreign") / "libforeign-library.so";
  EXPECT_EQ(refusal([&] { registry.load_file(foreign); }),
            "plugin " + foreign.string() + ": " + kNotAPlugin);
}

// The marker proves something: loading the foreign library does create it.
TEST(PluginRegistry, TheForeignFixtureLeavesItsMarkWhenLoaded) {
  const fs::path marker =
      fs::temp_directory_path() / ("riot-foreign-loaded-" + std::to_string(::getpid()));
  fs::remove(marker);
  ASSERT_EQ(::setenv("RIOT_FIXTURE_FOREIGN_MARKER", marker.c_str(), 1), 0);
  {
    boost::dll::shared_library library(
        boost::dll::fs::path((fixture_dir("foreign") / "libforeign-library.so").native()));
    EXPECT_TRUE(fs::exists(marker));
  }
  ::unsetenv("RIOT_FIXTURE_FOREIGN_MARKER");
  fs::remove(marker);
}

// A riot plugin the loader refuses (here: its program headers are gone) is
// reported with the loader's own reason.
TEST(PluginRegistry, ReportsTheLoadersReasonWhenAPluginCannotBeLoaded) {
  const fs::path directory =
      fs::temp_directory_path() / ("riot-unloadable-" + std::to_string(::getpid()));
  fs::create_directories(directory);
  const fs::path plugin = directory / "riot-plugin-unloadable.so";
  fs::copy_file(fixture_plugin("good", "more"), plugin, fs::copy_options::overwrite_existing);
  {
    std::fstream file(plugin, std::ios::in | std::ios::out | std::ios::binary);
    Elf64_Ehdr header{};
    file.read(reinterpret_cast<char*>(&header), sizeof header);
    header.e_phnum = 0;
    file.seekp(0);
    file.write(reinterpret_cast<const char*>(&header), sizeof header);
  }
  PluginRegistry registry;
  const std::string message = refusal([&] { registry.load_directory(directory); });
  const std::string prefix = "plugin " + plugin.string() + ": cannot be loaded: ";
  EXPECT_EQ(message.substr(0, prefix.size()), prefix);
  // dlerror() names the file and says what is wrong with it.
  EXPECT_NE(message.find(plugin.string(), prefix.size()), std::string::npos) << message;
  EXPECT_EQ(message.find("Bad file descriptor"), std::string::npos) << message;
  fs::remove_all(directory);
}

TEST(PluginRegistry, RefusesAnotherSdkMajorVersionBeforeDescribingThePlugin) {
  const fs::path plugin = fixture_plugin("wrong-major", "wrong-major");
  DescribeCounter counter(plugin);
  PluginRegistry registry;
  const std::string plugin_version =
      std::to_string(RIOT_SDK_VERSION_MAJOR + 1) + "." + std::to_string(RIOT_SDK_VERSION_MINOR);
  const std::string host_version =
      std::to_string(RIOT_SDK_VERSION_MAJOR) + "." + std::to_string(RIOT_SDK_VERSION_MINOR);

  const std::string message = refusal([&] { registry.load_file(plugin); });
  const std::string expected = "plugin " + plugin.string() + " was built against riot SDK " +
                               plugin_version + " but this riot provides SDK " + host_version;
  EXPECT_EQ(message.substr(0, expected.size()), expected) << message;
  EXPECT_EQ(counter.calls(), 0);
  EXPECT_TRUE(registry.components().empty());
  EXPECT_TRUE(registry.loaded_files().empty());
}

TEST(PluginRegistry, RefusesAnotherBuildTagBeforeDescribingThePlugin) {
  const fs::path plugin = fixture_plugin("wrong-tag", "wrong-tag");
  DescribeCounter counter(plugin);
  PluginRegistry registry;

  const std::string message = refusal([&] { registry.load_file(plugin); });
  EXPECT_NE(message.find("plugin " + plugin.string()), std::string::npos) << message;
  EXPECT_NE(message.find("'other-compiler/other-stdlib'"), std::string::npos) << message;
  EXPECT_NE(message.find(std::string("'") + riot::kBuildTag + "'"), std::string::npos) << message;
  EXPECT_NE(message.find("rebuild the plugin with the same compiler"), std::string::npos)
      << message;
  EXPECT_EQ(counter.calls(), 0);
  EXPECT_TRUE(registry.components().empty());
}

TEST(PluginRegistry, RefusesAForeignEntryPointBeforeDescribingThePlugin) {
  const fs::path plugin = fixture_plugin("bad-magic", "bad-magic");
  DescribeCounter counter(plugin);
  PluginRegistry registry;

  EXPECT_EQ(refusal([&] { registry.load_file(plugin); }),
            "plugin " + plugin.string() +
                ": entry point 'riot_plugin_v1' returned a header with magic 0xdeadbeef instead "
                "of 0x72696f74 (not a riot plugin?)");
  EXPECT_EQ(counter.calls(), 0);
}

TEST(PluginRegistry, ReportsAnExceptionFromDescribe) {
  PluginRegistry registry;
  const fs::path plugin = fixture_plugin("describe-throws", "describe-throws");
  EXPECT_EQ(refusal([&] { registry.load_file(plugin); }),
            "plugin " + plugin.string() + ": describe() failed: fixture: cannot describe myself");
}

TEST(PluginRegistry, RefusesADuplicateComponentNamingBothFiles) {
  PluginRegistry registry;
  const fs::path first = fixture_plugin("duplicate", "duplicate-a");
  const fs::path second = fixture_plugin("duplicate", "duplicate-b");

  EXPECT_EQ(
      refusal([&] { registry.load_directory(fixture_dir("duplicate")); }),
      "component 'test.sink' is registered by both " + first.string() + " and " + second.string());
  // The first registration stands; the refused plugin added nothing.
  EXPECT_EQ(registry.find("test.sink")->file, first);
  EXPECT_EQ(registry.loaded_files(), std::vector<fs::path>{first});
}

TEST(PluginRegistry, RefusesADuplicateAcrossDirectoriesLeavingTheRegistryAsItWas) {
  PluginRegistry registry;
  registry.load_directory(fixture_dir("good"));
  const auto before = component_names(registry);
  const fs::path duplicate = fixture_plugin("duplicate", "duplicate-a");

  EXPECT_EQ(refusal([&] { registry.load_file(duplicate); }),
            "component 'test.sink' is registered by both " +
                fixture_plugin("good", "good").string() + " and " + duplicate.string());
  EXPECT_EQ(component_names(registry), before);
  EXPECT_EQ(registry.loaded_files().size(), 2u);
}

TEST(PluginRegistry, RegistersADatatypeByItsRedisTypeName) {
  PluginRegistry registry;
  registry.load_directory(fixture_dir("forms"));
  const LoadedComponent* datatype = registry.find(riot::datatype_component_name("testtype"));
  ASSERT_NE(datatype, nullptr);
  EXPECT_EQ(datatype->info->kind(), riot::ComponentKind::datatype);
  EXPECT_EQ(registry.find("test.valuereader")->info->produces,
            (riot::RecordForms{riot::RecordKind::value, riot::RecordKind::erase}));
}

TEST(PluginRegistry, RefusesAReaderThatDeclaresNoRecordForms) {
  PluginRegistry registry;
  const fs::path plugin = fixture_plugin("formless", "formless");
  EXPECT_EQ(refusal([&] { registry.load_file(plugin); }),
            "component 'test.valuereader' of plugin " + plugin.string() +
                " declares no record forms it produces (ComponentInfo::produces)");
  EXPECT_TRUE(registry.components().empty());
}

TEST(PluginRegistry, RefusesADatatypeNamedWithoutItsType) {
  PluginRegistry registry;
  const fs::path plugin = fixture_plugin("nameless-datatype", "nameless-datatype");
  EXPECT_EQ(refusal([&] { registry.load_file(plugin); }),
            "component 'datatype.' of plugin " + plugin.string() +
                " is a datatype: its name must be 'datatype.<Redis type name>'");
  EXPECT_TRUE(registry.components().empty());
}

TEST(PluginRegistry, SuggestsTheNearestNamesBestFirst) {
  PluginRegistry registry;
  registry.load_directory(fixture_dir("good"));

  EXPECT_EQ(registry.nearest_names("test.snk"), std::vector<std::string>{"test.sink"});
  EXPECT_EQ(registry.nearest_names("tset.source"), std::vector<std::string>{"test.source"});
  EXPECT_EQ(registry.nearest_names("TEST.READER"), std::vector<std::string>{"test.reader"});
  // Without the kind prefix.
  EXPECT_EQ(registry.nearest_names("reader"), std::vector<std::string>{"test.reader"});
  // One edit from test.sink, three from test.null: both plausible, best first.
  EXPECT_EQ(registry.nearest_names("test.sunk"),
            (std::vector<std::string>{"test.sink", "test.null"}));
  EXPECT_EQ(registry.nearest_names("test.sunk", 1), std::vector<std::string>{"test.sink"});
  EXPECT_TRUE(registry.nearest_names("source.keyspace").empty());
}

// A HostContext just complete enough for a fixture sink.
class MinimalHost : public riot::HostContext {
 public:
  spdlog::logger& logger() override { return *spdlog::default_logger_raw(); }
  riot::Metrics& metrics() override { return metrics_; }
  const riot::CancellationToken& cancellation() const override { return cancellation_; }
  void report_failure(std::string_view, std::string_view) override {}

 private:
  riot::Metrics metrics_;
  riot::CancellationToken cancellation_;
};

TEST(PluginRegistry, ALoadedComponentKeepsItsLibraryLoadedAfterTheRegistryIsGone) {
  std::optional<LoadedComponent> sink;
  {
    PluginRegistry registry;
    registry.load_directory(fixture_dir("good"));
    sink = *registry.find("test.sink");
    // Every component of a file shares the one library handle the registry holds.
    EXPECT_EQ(registry.find("test.source")->library, sink->library);
  }
  ASSERT_TRUE(sink->library->is_loaded());
  // Plugin code and data are still mapped: the descriptor and the factory work.
  EXPECT_EQ(sink->info->name, "test.sink");
  MinimalHost host;
  auto instance = std::get<riot::SinkFactory>(sink->info->factory)({}, host);
  riot::RecordBatch records(2);
  instance->write(records);
  instance.reset();
  EXPECT_EQ(host.metrics().keys_written.load(), 2u);
}

// Sets RIOT_PLUGIN_PATH for one test and restores it afterwards.
class PluginPathVariable {
 public:
  explicit PluginPathVariable(const char* value) {
    if (const char* old = std::getenv("RIOT_PLUGIN_PATH")) saved_ = old;
    if (value != nullptr) {
      setenv("RIOT_PLUGIN_PATH", value, 1);
    } else {
      unsetenv("RIOT_PLUGIN_PATH");
    }
  }
  ~PluginPathVariable() {
    if (saved_) {
      setenv("RIOT_PLUGIN_PATH", saved_->c_str(), 1);
    } else {
      unsetenv("RIOT_PLUGIN_PATH");
    }
  }

 private:
  std::optional<std::string> saved_;
};

fs::path bundled_plugin_directory() {
  return (fs::read_symlink("/proc/self/exe").parent_path() / ".." / "lib" / "riot" / "plugins")
      .lexically_normal();
}

TEST(DefaultPluginDirectories, AreTheBundledDirectoryWithoutRiotPluginPath) {
  PluginPathVariable variable(nullptr);
  EXPECT_EQ(riot::host::default_plugin_directories(),
            std::vector<fs::path>{bundled_plugin_directory()});
}

TEST(DefaultPluginDirectories, PutRiotPluginPathEntriesFirstSkippingEmptyOnesAndRepeats) {
  const std::string bundled = bundled_plugin_directory().string();
  const std::string value = "/opt/riot/a::/opt/riot/b/:" + bundled + ":/opt/riot/a:";
  PluginPathVariable variable(value.c_str());
  EXPECT_EQ(riot::host::default_plugin_directories(),
            (std::vector<fs::path>{"/opt/riot/a", "/opt/riot/b", bundled_plugin_directory()}));
}

}  // namespace
