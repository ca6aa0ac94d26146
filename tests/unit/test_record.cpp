#include <gtest/gtest.h>

#include "riot/record.hpp"

namespace riot {
namespace {

TEST(PrintableKey, KeepsPrintableAsciiAsIs) { EXPECT_EQ(printable_key("user:42"), "user:42"); }

TEST(PrintableKey, EscapesControlAndHighBytes) {
  EXPECT_EQ(printable_key(std::string("a\0b\r\n\xff", 6)), "a\\x00b\\r\\n\\xff");
  EXPECT_EQ(printable_key("quote\"back\\slash"), "quote\\\"back\\\\slash");
}

TEST(PrintableKey, TruncatesLongKeys) {
  const std::string shown = printable_key(std::string(1000, 'k'), 16);
  EXPECT_LE(shown.size(), 19u);
  EXPECT_EQ(shown.substr(shown.size() - 3), "...");
}

TEST(RecordNames, NameEveryEnumerator) {
  EXPECT_EQ(to_string(KeyOrigin::scan), "scan");
  EXPECT_EQ(to_string(KeyOrigin::notification), "notification");
  EXPECT_EQ(to_string(KeyEventType::expired), "expired");
  EXPECT_EQ(to_string(RecordKind::dump), "dump");
  EXPECT_EQ(to_string(RecordKind::erase), "erase");
}

}  // namespace
}  // namespace riot
