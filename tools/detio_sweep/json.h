// The JSON of detio-sweep's --results files: a small document type, a
// writer and a strict parser (RFC 8259). A number keeps its text, so 64-bit
// seeds and hashes survive exactly; strings are UTF-8 (invalid bytes are
// written as U+FFFD, so the file always parses).
#pragma once

#include <cstdint>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace detio_sweep {

// A malformed document, or a value of the wrong type (the message says
// where or what).
class JsonError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

class Json {
 public:
  enum class Type { kNull, kBool, kNumber, kString, kArray, kObject };

  Json() = default;  // null
  static Json boolean(bool b);
  static Json number(std::uint64_t n);
  static Json number(double d);
  static Json string(std::string s);
  static Json array();
  static Json object();

  Type type() const noexcept { return type_; }
  bool is_null() const noexcept { return type_ == Type::kNull; }

  // Arrays.
  Json& push(Json value);
  const std::vector<Json>& items() const;
  // Objects (keys in insertion order). set() replaces an existing key.
  Json& set(const std::string& key, Json value);
  // The member `key`, or nullptr.
  const Json* find(std::string_view key) const;
  // The member `key`; throws JsonError naming it if absent.
  const Json& at(std::string_view key) const;

  // Typed reads; each throws JsonError if the value has another type.
  bool as_bool() const;
  std::uint64_t as_u64() const;
  double as_double() const;
  const std::string& as_string() const;

  // Two-space indented text, one member per line; arrays of scalars on one line.
  std::string dump() const;
  // Throws JsonError with the byte offset of the first problem.
  static Json parse(std::string_view text);

 private:
  friend class JsonParser;
  void dump_to(std::string& out, int depth) const;

  Type type_ = Type::kNull;
  bool bool_ = false;
  std::string text_;  // a string's value, or a number's text
  std::vector<Json> items_;
  std::vector<std::pair<std::string, Json>> members_;
};

}  // namespace detio_sweep
