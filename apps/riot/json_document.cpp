#include "json_document.hpp"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <iterator>
#include <sstream>

#include "usage_error.hpp"

namespace riot::app {
namespace {

using nlohmann::json;

// Walks the text again with a SAX parser that builds nothing, only to learn
// where the first error is: nlohmann's DOM parser reports the place of a
// syntax error but not of a number overflow (out_of_range.406).
class ErrorLocator final : public nlohmann::json_sax<json> {
 public:
  std::size_t token_start = 0;  // offset of the token at fault

  bool null() override { return true; }
  bool boolean(bool) override { return true; }
  bool number_integer(number_integer_t) override { return true; }
  bool number_unsigned(number_unsigned_t) override { return true; }
  bool number_float(number_float_t, const string_t&) override { return true; }
  bool string(string_t&) override { return true; }
  bool binary(binary_t&) override { return true; }
  bool start_object(std::size_t) override { return true; }
  bool key(string_t&) override { return true; }
  bool end_object() override { return true; }
  bool start_array(std::size_t) override { return true; }
  bool end_array() override { return true; }
  // `end` is the number of bytes read, the token at fault included.
  bool parse_error(std::size_t end, const std::string& token,
                   const nlohmann::detail::exception&) override {
    token_start = end >= token.size() ? end - token.size() : 0;
    return false;
  }
};

struct Place {
  std::size_t line = 1;
  std::size_t column = 1;
};

// Where the token at fault starts, 1-based as editors count.
Place place_of_error(const std::string& text) {
  ErrorLocator locator;
  json::sax_parse(text, &locator);
  const std::size_t offset = std::min(locator.token_start, text.size());
  const std::string_view before(text.data(), offset);
  const auto line_start = before.rfind('\n');
  return {static_cast<std::size_t>(std::count(before.begin(), before.end(), '\n')) + 1,
          line_start == std::string_view::npos ? offset + 1 : offset - line_start};
}

// nlohmann's message without its id ("[json.exception.parse_error.101] "),
// without its own place ("parse error at line 1, column 9: "), which is
// given apart, and without what it last read ("; last read: '\"s3cr'"),
// which may be part of a password.
std::string reason_of(const json::exception& error) {
  std::string message = error.what();
  if (const auto id_end = message.find("] ");
      message.rfind("[json.exception.", 0) == 0 && id_end != std::string::npos)
    message.erase(0, id_end + 2);
  if (message.rfind("parse error", 0) == 0) {
    if (const auto colon = message.find(": "); colon != std::string::npos)
      message.erase(0, colon + 2);
  }
  if (const auto last_read = message.find("; last read: "); last_read != std::string::npos)
    message.erase(last_read);
  return message;
}

}  // namespace

json parse_json_document(const std::string& text, std::string_view origin) {
  try {
    return json::parse(text);
  } catch (const json::exception& error) {
    const Place place = place_of_error(text);
    throw UsageError(std::string(origin) + ": invalid JSON at line " + std::to_string(place.line) +
                     ", column " + std::to_string(place.column) + ": " + reason_of(error));
  }
}

std::string read_document_text(const std::string& path) {
  if (path == kStandardInputPath) {
    return {std::istreambuf_iterator<char>(std::cin), std::istreambuf_iterator<char>()};
  }
  // An ifstream opens a directory without complaint and reads nothing,
  // which would surface as "unexpected end of input".
  std::error_code status_error;
  if (std::filesystem::is_directory(path, status_error))
    throw UsageError("cannot read '" + path + "': it is a directory, not a pipeline file");
  std::ifstream file(path, std::ios::binary);
  if (!file) throw UsageError("cannot read '" + path + "': " + std::strerror(errno));
  std::ostringstream text;
  text << file.rdbuf();
  if (file.bad()) throw UsageError("cannot read '" + path + "': " + std::strerror(errno));
  return text.str();
}

}  // namespace riot::app
