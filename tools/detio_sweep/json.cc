#include "json.h"

#include <absl/strings/numbers.h>
#include <fmt/format.h>

#include <cmath>
#include <optional>

#include "detio/sim/seed_range.h"

namespace detio_sweep {
namespace {

const char* type_name(Json::Type t) {
  switch (t) {
    case Json::Type::kNull: return "null";
    case Json::Type::kBool: return "a boolean";
    case Json::Type::kNumber: return "a number";
    case Json::Type::kString: return "a string";
    case Json::Type::kArray: return "an array";
    case Json::Type::kObject: return "an object";
  }
  return "?";
}

// The length of the valid UTF-8 sequence at s[i], or 0 if it is not one.
std::size_t utf8_length(std::string_view s, std::size_t i) {
  const auto byte = [&](std::size_t k) { return static_cast<unsigned char>(s[k]); };
  const unsigned char c = byte(i);
  std::size_t n = c < 0x80 ? 1 : (c >> 5) == 0x6 ? 2 : (c >> 4) == 0xE ? 3 : (c >> 3) == 0x1E ? 4 : 0;
  if (n == 0 || i + n > s.size()) return 0;
  std::uint32_t cp = n == 1 ? c : n == 2 ? c & 0x1F : n == 3 ? c & 0x0F : c & 0x07;
  for (std::size_t k = 1; k < n; ++k) {
    if ((byte(i + k) >> 6) != 0x2) return 0;
    cp = cp << 6 | (byte(i + k) & 0x3F);
  }
  // No overlong forms, no surrogates, nothing past U+10FFFF.
  static constexpr std::uint32_t kMin[] = {0, 0, 0x80, 0x800, 0x10000};
  if (cp < kMin[n] || (cp >= 0xD800 && cp <= 0xDFFF) || cp > 0x10FFFF) return 0;
  return n;
}

void append_utf8(std::string& out, std::uint32_t cp) {
  if (cp < 0x80) {
    out += static_cast<char>(cp);
  } else if (cp < 0x800) {
    out += static_cast<char>(0xC0 | cp >> 6);
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else if (cp < 0x10000) {
    out += static_cast<char>(0xE0 | cp >> 12);
    out += static_cast<char>(0x80 | (cp >> 6 & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | cp >> 18);
    out += static_cast<char>(0x80 | (cp >> 12 & 0x3F));
    out += static_cast<char>(0x80 | (cp >> 6 & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  }
}

void quote(std::string& out, std::string_view s) {
  out += '"';
  for (std::size_t i = 0; i < s.size();) {
    const char c = s[i];
    if (c == '"' || c == '\\') {
      out += '\\';
      out += c;
    } else if (c == '\n') {
      out += "\\n";
    } else if (c == '\t') {
      out += "\\t";
    } else if (static_cast<unsigned char>(c) < 0x20) {
      out += fmt::format("\\u{:04x}", static_cast<unsigned>(c));
    } else if (std::size_t n = utf8_length(s, i); n > 0) {
      out.append(s.substr(i, n));
      i += n;
      continue;
    } else {
      out += "\ufffd";
    }
    ++i;
  }
  out += '"';
}

}  // namespace

class JsonParser {
 public:
  explicit JsonParser(std::string_view text) : s_(text) {}

  Json document() {
    Json v = value(0);
    skip_ws();
    if (i_ != s_.size()) fail("trailing characters");
    return v;
  }

 private:
  static constexpr int kMaxDepth = 64;

  [[noreturn]] void fail(const std::string& what) const {
    throw JsonError(fmt::format("JSON error at byte {}: {}", i_, what));
  }
  void skip_ws() {
    while (i_ < s_.size() && (s_[i_] == ' ' || s_[i_] == '\n' || s_[i_] == '\r' || s_[i_] == '\t')) ++i_;
  }
  bool eat(char c) {
    skip_ws();
    if (i_ < s_.size() && s_[i_] == c) {
      ++i_;
      return true;
    }
    return false;
  }
  void expect(char c) {
    if (!eat(c)) fail(fmt::format("expected '{}'", c));
  }
  bool literal(std::string_view word) {
    if (s_.substr(i_, word.size()) != word) return false;
    i_ += word.size();
    return true;
  }

  Json value(int depth) {
    if (depth > kMaxDepth) fail("nested too deeply");
    skip_ws();
    if (i_ >= s_.size()) fail("unexpected end");
    const char c = s_[i_];
    if (c == '{') return object(depth);
    if (c == '[') return array(depth);
    if (c == '"') return Json::string(string());
    if (literal("true")) return Json::boolean(true);
    if (literal("false")) return Json::boolean(false);
    if (literal("null")) return Json();
    return number();
  }

  Json object(int depth) {
    ++i_;
    Json o = Json::object();
    if (eat('}')) return o;
    do {
      skip_ws();
      if (i_ >= s_.size() || s_[i_] != '"') fail("expected a key");
      std::string key = string();
      if (o.find(key)) fail("duplicate key '" + key + "'");
      expect(':');
      o.set(key, value(depth + 1));
    } while (eat(','));
    expect('}');
    return o;
  }

  Json array(int depth) {
    ++i_;
    Json a = Json::array();
    if (eat(']')) return a;
    do {
      a.push(value(depth + 1));
    } while (eat(','));
    expect(']');
    return a;
  }

  std::uint32_t hex4() {
    if (i_ + 4 > s_.size()) fail("short \\u escape");
    std::uint32_t v = 0;
    for (int k = 0; k < 4; ++k) {
      const char h = s_[i_++];
      const int d = h >= '0' && h <= '9' ? h - '0' : h >= 'a' && h <= 'f' ? h - 'a' + 10 : h >= 'A' && h <= 'F' ? h - 'A' + 10 : -1;
      if (d < 0) fail("bad \\u escape");
      v = v << 4 | static_cast<std::uint32_t>(d);
    }
    return v;
  }

  std::string string() {
    ++i_;  // the opening quote
    std::string out;
    for (;;) {
      if (i_ >= s_.size()) fail("unterminated string");
      const char c = s_[i_];
      if (c == '"') {
        ++i_;
        return out;
      }
      if (static_cast<unsigned char>(c) < 0x20) fail("control character in a string");
      if (c != '\\') {
        const std::size_t n = utf8_length(s_, i_);
        if (n == 0) fail("invalid UTF-8");
        out.append(s_.substr(i_, n));
        i_ += n;
        continue;
      }
      if (++i_ >= s_.size()) fail("unterminated escape");
      const char e = s_[i_++];
      switch (e) {
        case '"': out += '"'; break;
        case '\\': out += '\\'; break;
        case '/': out += '/'; break;
        case 'b': out += '\b'; break;
        case 'f': out += '\f'; break;
        case 'n': out += '\n'; break;
        case 'r': out += '\r'; break;
        case 't': out += '\t'; break;
        case 'u': {
          std::uint32_t cp = hex4();
          if (cp >= 0xD800 && cp <= 0xDBFF) {
            if (!literal("\\u")) fail("lone surrogate");
            const std::uint32_t low = hex4();
            if (low < 0xDC00 || low > 0xDFFF) fail("lone surrogate");
            cp = 0x10000 + ((cp - 0xD800) << 10) + (low - 0xDC00);
          } else if (cp >= 0xDC00 && cp <= 0xDFFF) {
            fail("lone surrogate");
          }
          append_utf8(out, cp);
          break;
        }
        default: fail(fmt::format("bad escape '\\{}'", e));
      }
    }
  }

  Json number() {
    const std::size_t start = i_;
    auto digits = [&] {
      const std::size_t from = i_;
      while (i_ < s_.size() && s_[i_] >= '0' && s_[i_] <= '9') ++i_;
      return i_ > from;
    };
    if (i_ < s_.size() && s_[i_] == '-') ++i_;
    if (i_ < s_.size() && s_[i_] == '0') {
      ++i_;
    } else if (!digits()) {
      fail("expected a value");
    }
    if (i_ < s_.size() && s_[i_] == '.') {
      ++i_;
      if (!digits()) fail("expected digits after '.'");
    }
    if (i_ < s_.size() && (s_[i_] == 'e' || s_[i_] == 'E')) {
      ++i_;
      if (i_ < s_.size() && (s_[i_] == '+' || s_[i_] == '-')) ++i_;
      if (!digits()) fail("expected an exponent");
    }
    Json n;
    n.type_ = Json::Type::kNumber;
    n.text_ = std::string(s_.substr(start, i_ - start));
    return n;
  }

  std::string_view s_;
  std::size_t i_ = 0;
};

Json Json::boolean(bool b) {
  Json j;
  j.type_ = Type::kBool;
  j.bool_ = b;
  return j;
}

Json Json::number(std::uint64_t n) {
  Json j;
  j.type_ = Type::kNumber;
  j.text_ = fmt::format("{}", n);
  return j;
}

Json Json::number(double d) {
  Json j;
  j.type_ = Type::kNumber;
  // JSON has no inf or nan.
  j.text_ = std::isfinite(d) ? fmt::format("{}", d) : "0";
  return j;
}

Json Json::string(std::string s) {
  Json j;
  j.type_ = Type::kString;
  j.text_ = std::move(s);
  return j;
}

Json Json::array() {
  Json j;
  j.type_ = Type::kArray;
  return j;
}

Json Json::object() {
  Json j;
  j.type_ = Type::kObject;
  return j;
}

Json& Json::push(Json value) {
  if (type_ != Type::kArray) throw JsonError("push on a JSON value that is not an array");
  items_.push_back(std::move(value));
  return items_.back();
}

const std::vector<Json>& Json::items() const {
  if (type_ != Type::kArray) throw JsonError(std::string("expected an array, not ") + type_name(type_));
  return items_;
}

Json& Json::set(const std::string& key, Json value) {
  if (type_ != Type::kObject) throw JsonError("set on a JSON value that is not an object");
  for (auto& [k, v] : members_) {
    if (k == key) return v = std::move(value);
  }
  members_.emplace_back(key, std::move(value));
  return members_.back().second;
}

const Json* Json::find(std::string_view key) const {
  if (type_ != Type::kObject) return nullptr;
  for (const auto& [k, v] : members_) {
    if (k == key) return &v;
  }
  return nullptr;
}

const Json& Json::at(std::string_view key) const {
  if (type_ != Type::kObject) throw JsonError(std::string("expected an object, not ") + type_name(type_));
  const Json* v = find(key);
  if (!v) throw JsonError("no member '" + std::string(key) + "'");
  return *v;
}

bool Json::as_bool() const {
  if (type_ != Type::kBool) throw JsonError(std::string("expected a boolean, not ") + type_name(type_));
  return bool_;
}

std::uint64_t Json::as_u64() const {
  std::optional<std::uint64_t> n;
  if (type_ == Type::kNumber) n = detio::sim::parse_u64(text_);
  if (!n) throw JsonError("expected an unsigned integer, not " + (type_ == Type::kNumber ? text_ : type_name(type_)));
  return *n;
}

double Json::as_double() const {
  double d = 0;
  if (type_ != Type::kNumber || !absl::SimpleAtod(text_, &d)) {
    throw JsonError(std::string("expected a number, not ") + type_name(type_));
  }
  return d;
}

const std::string& Json::as_string() const {
  if (type_ != Type::kString) throw JsonError(std::string("expected a string, not ") + type_name(type_));
  return text_;
}

std::string Json::dump() const {
  std::string out;
  dump_to(out, 0);
  out += '\n';
  return out;
}

void Json::dump_to(std::string& out, int depth) const {
  const std::string indent(2 * static_cast<std::size_t>(depth + 1), ' ');
  switch (type_) {
    case Type::kNull: out += "null"; return;
    case Type::kBool: out += bool_ ? "true" : "false"; return;
    case Type::kNumber: out += text_; return;
    case Type::kString: quote(out, text_); return;
    case Type::kArray: {
      bool flat = true;
      for (const Json& v : items_) flat = flat && v.type_ != Type::kArray && v.type_ != Type::kObject;
      out += '[';
      for (std::size_t k = 0; k < items_.size(); ++k) {
        out += k ? "," : "";
        out += flat ? (k ? " " : "") : "\n" + indent;
        items_[k].dump_to(out, depth + 1);
      }
      if (!flat && !items_.empty()) out += "\n" + indent.substr(2);
      out += ']';
      return;
    }
    case Type::kObject: {
      out += '{';
      for (std::size_t k = 0; k < members_.size(); ++k) {
        out += k ? ",\n" : "\n";
        out += indent;
        quote(out, members_[k].first);
        out += ": ";
        members_[k].second.dump_to(out, depth + 1);
      }
      if (!members_.empty()) out += "\n" + indent.substr(2);
      out += '}';
      return;
    }
  }
}

Json Json::parse(std::string_view text) { return JsonParser(text).document(); }

}  // namespace detio_sweep
