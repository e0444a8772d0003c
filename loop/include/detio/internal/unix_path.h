// Unix-domain socket paths, checked the same way on both backends. A path
// is a filesystem path, or a Linux abstract name when it starts with '\0'
// (as in CPython; no file is made for it). sockaddr_un holds 108 bytes: a
// filesystem path up to 107 and its terminator, an abstract name up to 108
// counting the leading '\0'.
#pragma once

#include <sys/socket.h>
#include <sys/un.h>

#include <string>
#include <string_view>

namespace detio::internal {

inline bool is_abstract_unix_path(std::string_view path) noexcept { return !path.empty() && path.front() == '\0'; }

// Throws ValueError for an empty path or a '\0' inside a filesystem path,
// OSError("AF_UNIX path too long ...") for one sockaddr_un cannot hold.
void check_unix_path(std::string_view path);

// The path for messages and traces, quoted; an abstract name as '@name'.
std::string display_unix_path(std::string_view path);

// check_unix_path, then fills `out`; returns the address length to pass
// to bind/connect.
socklen_t to_sockaddr_un(std::string_view path, sockaddr_un& out);

}  // namespace detio::internal
