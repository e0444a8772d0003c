// A tiny strict JSON parser for tests (RFC 8259 syntax: objects, arrays,
// strings with escapes and UTF-8 text, numbers, true/false/null). parse_json throws
// std::runtime_error with the offset of the first error.
#pragma once

#include <cctype>
#include <cstddef>
#include <map>
#include <memory>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace detio::sim_test {

struct Json {
  enum class Type { kNull, kBool, kNumber, kString, kArray, kObject } type = Type::kNull;
  bool boolean = false;
  double number = 0;
  std::string string;
  std::vector<Json> array;
  std::map<std::string, Json> object;

  bool has(const std::string& key) const { return type == Type::kObject && object.count(key) != 0; }
  const Json& at(const std::string& key) const { return object.at(key); }
};

namespace json_internal {

class Parser {
 public:
  explicit Parser(std::string_view text) : s_(text) {}

  Json document() {
    Json v = value();
    skip_ws();
    if (i_ != s_.size()) fail("trailing characters");
    return v;
  }

 private:
  [[noreturn]] void fail(const std::string& what) {
    throw std::runtime_error("JSON error at offset " + std::to_string(i_) + ": " + what);
  }
  void skip_ws() {
    while (i_ < s_.size() && (s_[i_] == ' ' || s_[i_] == '\n' || s_[i_] == '\r' || s_[i_] == '\t')) ++i_;
  }
  char peek() {
    skip_ws();
    if (i_ >= s_.size()) fail("unexpected end");
    return s_[i_];
  }
  void expect(char c) {
    if (peek() != c) fail(std::string("expected '") + c + "'");
    ++i_;
  }
  void literal(std::string_view word) {
    if (s_.substr(i_, word.size()) != word) fail("bad literal");
    i_ += word.size();
  }

  Json value() {
    if (++depth_ > 256) fail("nested too deeply");
    Json v;
    const char c = peek();
    if (c == '{') {
      v.type = Json::Type::kObject;
      ++i_;
      if (peek() == '}') {
        ++i_;
      } else {
        for (;;) {
          if (peek() != '"') fail("expected a key");
          std::string key = string();
          expect(':');
          v.object[key] = value();
          if (peek() == ',') {
            ++i_;
            continue;
          }
          expect('}');
          break;
        }
      }
    } else if (c == '[') {
      v.type = Json::Type::kArray;
      ++i_;
      if (peek() == ']') {
        ++i_;
      } else {
        for (;;) {
          v.array.push_back(value());
          if (peek() == ',') {
            ++i_;
            continue;
          }
          expect(']');
          break;
        }
      }
    } else if (c == '"') {
      v.type = Json::Type::kString;
      v.string = string();
    } else if (c == 't') {
      literal("true");
      v.type = Json::Type::kBool;
      v.boolean = true;
    } else if (c == 'f') {
      literal("false");
      v.type = Json::Type::kBool;
    } else if (c == 'n') {
      literal("null");
    } else {
      v.type = Json::Type::kNumber;
      v.number = number();
    }
    --depth_;
    return v;
  }

  std::string string() {
    expect('"');
    std::string out;
    for (;;) {
      if (i_ >= s_.size()) fail("unterminated string");
      const char c = s_[i_++];
      if (c == '"') return out;
      if (static_cast<unsigned char>(c) < 0x20) fail("control character in a string");
      if (static_cast<unsigned char>(c) >= 0x80) {
        --i_;
        out += utf8_character();
        continue;
      }
      if (c != '\\') {
        out += c;
        continue;
      }
      if (i_ >= s_.size()) fail("unterminated escape");
      const char e = s_[i_++];
      switch (e) {
        case '"': case '\\': case '/': out += e; break;
        case 'b': out += '\b'; break;
        case 'f': out += '\f'; break;
        case 'n': out += '\n'; break;
        case 'r': out += '\r'; break;
        case 't': out += '\t'; break;
        case 'u': out += unicode_escape(); break;
        default: fail("bad escape");
      }
    }
  }

  // The four hex digits after "\\u", as UTF-8 ('?' for half a surrogate pair).
  std::string unicode_escape() {
    unsigned code = 0;
    for (int k = 0; k < 4; ++k) {
      if (i_ >= s_.size() || !std::isxdigit(static_cast<unsigned char>(s_[i_]))) fail("bad \\u escape");
      code = code * 16 + static_cast<unsigned>(std::stoi(std::string(1, s_[i_++]), nullptr, 16));
    }
    if (code >= 0xd800 && code <= 0xdfff) return "?";
    std::string out;
    if (code < 0x80) {
      out += static_cast<char>(code);
    } else if (code < 0x800) {
      out += static_cast<char>(0xc0 | (code >> 6));
      out += static_cast<char>(0x80 | (code & 0x3f));
    } else {
      out += static_cast<char>(0xe0 | (code >> 12));
      out += static_cast<char>(0x80 | ((code >> 6) & 0x3f));
      out += static_cast<char>(0x80 | (code & 0x3f));
    }
    return out;
  }

  // RFC 8259 text is UTF-8: one encoded character (decoded to its code
  // point to reject overlong forms, surrogates and values past U+10FFFF).
  std::string utf8_character() {
    const std::size_t start = i_;
    const auto lead = static_cast<unsigned char>(s_[i_++]);
    int continuation = lead >= 0xf0 ? 3 : lead >= 0xe0 ? 2 : lead >= 0xc0 ? 1 : -1;
    if (continuation < 0 || lead >= 0xf8) fail("invalid UTF-8 lead byte");
    unsigned long code = lead & (0x3fu >> continuation);
    for (int k = 0; k < continuation; ++k) {
      if (i_ >= s_.size() || (static_cast<unsigned char>(s_[i_]) & 0xc0) != 0x80) fail("truncated UTF-8 sequence");
      code = (code << 6) | (static_cast<unsigned char>(s_[i_++]) & 0x3f);
    }
    static constexpr unsigned long kSmallest[] = {0, 0x80, 0x800, 0x10000};
    if (code < kSmallest[continuation]) fail("overlong UTF-8 sequence");
    if ((code >= 0xd800 && code <= 0xdfff) || code > 0x10ffff) fail("UTF-8 sequence for no character");
    return std::string(s_.substr(start, i_ - start));
  }

  double number() {
    const std::size_t start = i_;
    if (i_ < s_.size() && s_[i_] == '-') ++i_;
    auto digits = [&] {
      const std::size_t from = i_;
      while (i_ < s_.size() && s_[i_] >= '0' && s_[i_] <= '9') ++i_;
      if (i_ == from) fail("expected a digit");
    };
    if (i_ < s_.size() && s_[i_] == '0') {
      ++i_;
    } else {
      digits();
    }
    if (i_ < s_.size() && s_[i_] == '.') {
      ++i_;
      digits();
    }
    if (i_ < s_.size() && (s_[i_] == 'e' || s_[i_] == 'E')) {
      ++i_;
      if (i_ < s_.size() && (s_[i_] == '+' || s_[i_] == '-')) ++i_;
      digits();
    }
    return std::stod(std::string(s_.substr(start, i_ - start)));
  }

  std::string_view s_;
  std::size_t i_ = 0;
  int depth_ = 0;
};

}  // namespace json_internal

inline Json parse_json(std::string_view text) { return json_internal::Parser(text).document(); }

}  // namespace detio::sim_test
