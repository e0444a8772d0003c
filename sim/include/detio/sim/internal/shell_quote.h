// `s` as one word for a POSIX shell: unchanged if it is made only of
// characters no shell treats specially, else in single quotes (a quote
// inside becomes '\''). For the replay lines the sweep machinery prints
// (sim::sweep, DETIO_SCENARIO_MAIN, detio-sweep).
#pragma once

#include <string>
#include <string_view>

namespace detio::sim::internal {

std::string shell_quote(std::string_view s);

}  // namespace detio::sim::internal
