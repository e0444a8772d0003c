#include "detio/internal/unix_path.h"

#include <cstddef>
#include <cstring>

#include "detio/errors.h"

namespace detio::internal {

void check_unix_path(std::string_view path) {
  if (path.empty()) throw ValueError("a Unix socket path must not be empty");
  const bool abstract = is_abstract_unix_path(path);
  if (!abstract && path.find('\0') != std::string_view::npos) {
    throw ValueError("embedded null byte in Unix socket path " + display_unix_path(path));
  }
  // A filesystem path needs room for its terminator.
  const std::size_t room = sizeof(sockaddr_un::sun_path) - (abstract ? 0 : 1);
  if (path.size() > room) {
    throw OSError("AF_UNIX path too long: " + std::to_string(path.size()) + " bytes, at most " + std::to_string(room) +
                  (abstract ? " for an abstract name" : " for a filesystem path") + ": " + display_unix_path(path));
  }
}

std::string display_unix_path(std::string_view path) {
  if (is_abstract_unix_path(path)) return "'@" + std::string(path.substr(1)) + "'";
  return "'" + std::string(path) + "'";
}

socklen_t to_sockaddr_un(std::string_view path, sockaddr_un& out) {
  check_unix_path(path);
  out = sockaddr_un{};
  out.sun_family = AF_UNIX;
  std::memcpy(out.sun_path, path.data(), path.size());
  // An abstract name is exactly its bytes; a filesystem path ends at its NUL.
  const std::size_t used = path.size() + (is_abstract_unix_path(path) ? 0 : 1);
  return static_cast<socklen_t>(offsetof(sockaddr_un, sun_path) + used);
}

}  // namespace detio::internal
