// Key selection and renaming: the filter's semantics (whole-key RE2 matches,
// byte-wise over binary keys), the --key-process expression forms and their
// errors, the inverse a walk of the target needs, and the runtime's chain of
// transforms over key events and records.
#include <gtest/gtest.h>

#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include "key_renaming.hpp"
#include "key_selection.hpp"
#include "key_transform_chain.hpp"
#include "key_transforms.hpp"

namespace riot::transform_plugin {
namespace {

std::string renamed(const std::string& expression, std::string key) {
  KeyRenaming::parse(expression).rename(key);
  return key;
}

// The source key of `key`, or "<outside>".
std::string unmapped(const std::string& expression, std::string key) {
  return KeyRenaming::parse(expression).unmap(key) == KeyInverse::mapped ? key : "<outside>";
}

std::string parse_error(const std::string& expression) {
  try {
    KeyRenaming::parse(expression);
  } catch (const std::invalid_argument& error) {
    return error.what();
  }
  return "";
}

std::string selection_error(const std::vector<std::string>& include) {
  try {
    KeySelection(include, {});
  } catch (const std::invalid_argument& error) {
    return error.what();
  }
  return "";
}

TEST(KeySelection, IncludesMatchTheWholeKey) {
  const KeySelection selection({"user:.*", "cart"}, {});
  EXPECT_TRUE(selection.selects("user:1"));
  EXPECT_TRUE(selection.selects("cart"));
  EXPECT_FALSE(selection.selects("cart:1"));  // "cart" is no prefix match
  EXPECT_FALSE(selection.selects("xuser:1"));
}

TEST(KeySelection, NoIncludeTakesEveryKeyAndAnExcludeWins) {
  const KeySelection selection({}, {"tmp:.*"});
  EXPECT_TRUE(selection.selects("user:1"));
  EXPECT_TRUE(selection.selects(""));
  EXPECT_FALSE(selection.selects("tmp:1"));
  const KeySelection both({"user:.*"}, {"user:tmp:.*"});
  EXPECT_TRUE(both.selects("user:1"));
  EXPECT_FALSE(both.selects("user:tmp:1"));
}

TEST(KeySelection, BinaryKeysMatchByteWise) {
  const std::string binary("bin:\0\r\n\xff", 8);
  EXPECT_TRUE(KeySelection({"bin:.*"}, {}).selects(binary));  // . spans NUL, CR/LF, 0xff
  EXPECT_TRUE(KeySelection({"bin:\\x00\\r\\n\\xff"}, {}).selects(binary));
  EXPECT_FALSE(KeySelection({"bin:\\x00\\r\\n\\xfe"}, {}).selects(binary));
  EXPECT_TRUE(KeySelection({}, {".*\\xff"}).selects("plain"));
  EXPECT_FALSE(KeySelection({}, {".*\\xff"}).selects(binary));
}

TEST(KeySelection, ABadRegexIsRefusedWithItsPosition) {
  const std::string error = selection_error({"ok:.*", "user:(abc"});
  EXPECT_NE(error.find("include[1]"), std::string::npos) << error;
  EXPECT_NE(error.find("\"user:(abc\""), std::string::npos) << error;
  EXPECT_NE(error.find("missing )"), std::string::npos) << error;
  EXPECT_NE(error.find("position"), std::string::npos) << error;
  EXPECT_NE(selection_error({"a**"}).find("bad repetition"), std::string::npos);
}

TEST(KeyRenaming, TemplatesAddAPrefixAndASuffix) {
  EXPECT_EQ(renamed("new:#{key}", "user:1"), "new:user:1");
  EXPECT_EQ(renamed("#{key}:v2", "user:1"), "user:1:v2");
  EXPECT_EQ(renamed("a#{key}b", std::string("\0\xff", 2)), std::string("a\0\xff"
                                                                       "b",
                                                                       4));
  EXPECT_EQ(unmapped("new:#{key}", "new:user:1"), "user:1");
  EXPECT_EQ(unmapped("a#{key}b", "ab"), "");
  EXPECT_EQ(unmapped("new:#{key}", "old:user:1"), "<outside>");
  EXPECT_EQ(unmapped("a#{key}b", "a"), "<outside>");
  EXPECT_EQ(unmapped("#{key}:v2", "user:1:v3"), "<outside>");
}

TEST(KeyRenaming, SubstitutionsUseGroups) {
  EXPECT_EQ(renamed("s/^user:(.*)$/u:\\1/", "user:42"), "u:42");
  EXPECT_EQ(renamed("s/^user:(.*)$/u:\\1/", "cart:42"), "cart:42");  // no match: kept
  EXPECT_EQ(renamed("s|(a)/(b)|\\2/\\1|", "x:a/b"), "x:b/a");
  EXPECT_EQ(renamed("s/a/b/", "aaa"), "baa");
  EXPECT_EQ(renamed("s/a/b/g", "aaa"), "bbb");
  EXPECT_EQ(renamed("s/\\//:/g", "a/b/c"), "a:b:c");  // an escaped delimiter is literal
  EXPECT_FALSE(KeyRenaming::parse("s/^user:(.*)$/u:\\1/").invertible());
}

TEST(KeyRenaming, PrefixSwapsAndStripsMapBack) {
  const KeyRenaming swap = KeyRenaming::parse("s/^old:/new:/");
  EXPECT_TRUE(swap.invertible());
  EXPECT_EQ(renamed("s/^old:/new:/", "old:1"), "new:1");
  EXPECT_EQ(renamed("s/^old:/new:/", "other:1"), "other:1");
  EXPECT_EQ(unmapped("s/^old:/new:/", "new:1"), "old:1");
  EXPECT_EQ(unmapped("s/^old:/new:/", "other:1"), "other:1");
  // A key keeping its name never starts with the old prefix.
  EXPECT_EQ(unmapped("s/^old:/new:/", "old:1"), "<outside>");
  EXPECT_EQ(renamed("s/^old://", "old:1"), "1");
  EXPECT_EQ(unmapped("s/^old://", "1"), "old:1");
  EXPECT_EQ(renamed("s/^/p:/", "k"), "p:k");
  EXPECT_EQ(unmapped("s/^/p:/", "p:k"), "k");
  EXPECT_EQ(unmapped("s/^/p:/", "k"), "<outside>");
}

TEST(KeyRenaming, OtherExpressionsAreRefusedSayingWhy) {
  EXPECT_NE(parse_error("#{type}:#{key}").find("unsupported #{type}"), std::string::npos)
      << parse_error("#{type}:#{key}");
  EXPECT_NE(parse_error("constant").find("expected a template holding #{key}"), std::string::npos);
  EXPECT_NE(parse_error("#{key}#{key}").find("once"), std::string::npos);
  EXPECT_NE(parse_error("s/a/b").find("three delimiters"), std::string::npos);
  EXPECT_NE(parse_error("s/a/b/x").find("unknown flags \"x\""), std::string::npos);
  EXPECT_NE(parse_error("s/(a/b/").find("missing )"), std::string::npos);
  EXPECT_NE(parse_error("s/(a)/\\2/").find("replacement \"\\2\""), std::string::npos)
      << parse_error("s/(a)/\\2/");
}

TEST(KeyTransformChain, SelectsRenamesAndMapsBack) {
  const KeyFilterTransform filter(KeySelection({"user:.*"}, {"user:tmp:.*"}));
  const KeyRenameTransform rename(KeyRenaming::parse("new:#{key}"));
  const host::KeyTransformChain chain({&filter, &rename});
  EXPECT_TRUE(chain.renames());
  EXPECT_TRUE(chain.invertible());

  KeyBatch events{{.key = "user:1"}, {.key = "cart:1"}, {.key = "user:tmp:1"}, {.key = "user:2"}};
  EXPECT_EQ(chain.select(events), 2u);
  ASSERT_EQ(events.size(), 2u);
  EXPECT_EQ(events[0].key, "user:1");  // order kept, names kept until read
  EXPECT_EQ(events[1].key, "user:2");

  RecordBatch records(2);
  records[0].key = "user:1";
  records[1].key = "user:2";
  chain.rename(records);
  EXPECT_EQ(records[0].key, "new:user:1");
  EXPECT_EQ(records[0].source_key, "user:1");
  EXPECT_EQ(records[1].key_on_source(), "user:2");

  // A walk of the target: back to source keys, those outside left out.
  KeyBatch target{
      {.key = "new:user:3"}, {.key = "user:4"}, {.key = "new:user:tmp:5"}, {.key = "new:cart:6"}};
  EXPECT_EQ(chain.unmap(target), 3u);
  ASSERT_EQ(target.size(), 1u);
  EXPECT_EQ(target[0].key, "user:3");
}

TEST(KeyTransformChain, AFilterAloneRenamesNothing) {
  const KeyFilterTransform filter(KeySelection({"a.*"}, {}));
  const host::KeyTransformChain chain({&filter});
  EXPECT_FALSE(chain.renames());
  RecordBatch records(1);
  records[0].key = "a1";
  chain.rename(records);
  EXPECT_EQ(records[0].key, "a1");
  EXPECT_TRUE(records[0].source_key.empty());
}

TEST(KeyTransformChain, ASubstitutionHasNoInverse) {
  const KeyRenameTransform rename(KeyRenaming::parse("s/^u(.)/v\\1/"));
  EXPECT_FALSE(host::KeyTransformChain({&rename}).invertible());
  EXPECT_NE(host::no_inverse_note("the search for extra keys").find("no inverse"),
            std::string::npos);
}

}  // namespace
}  // namespace riot::transform_plugin
