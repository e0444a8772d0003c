// sim::buggify(p): a fault point in user code, FoundationDB's BUGGIFY.
//
//   if (sim::buggify(0.05)) co_await sleep(2s);  // a slow disk, sometimes
//
// Each call site (file name and line) is enabled or not for a whole run,
// drawn from the seed (Options::buggify is the fraction of sites enabled);
// an enabled site is then true with probability p on each call, drawn from
// the "buggify" stream. Always false outside a sim run (the real backend),
// so buggified paths cost nothing in production.
#pragma once

namespace detio::sim {

// A call site, captured by a default argument (std::source_location is not
// available with clang 14 + libstdc++ 12; these builtins are, in both).
struct CallSite {
  const char* file;
  unsigned line;
  static constexpr CallSite here(const char* file = __builtin_FILE(), unsigned line = __builtin_LINE()) noexcept {
    return CallSite{file, line};
  }
};

bool buggify(double p, CallSite site = CallSite::here());

// Whether the call site is enabled in this run (false outside a sim run).
bool buggify_enabled(CallSite site = CallSite::here());

}  // namespace detio::sim
