#include "progress.h"

#include <unistd.h>

#include <cstdio>

namespace detio_sweep {

Progress::Progress(std::uint64_t total, bool enabled)
    : total_(total == 0 ? 1 : total), enabled_(enabled), tty_(::isatty(STDERR_FILENO) != 0), start_(Clock::now()) {}

double Progress::elapsed_seconds() const { return std::chrono::duration<double>(Clock::now() - start_).count(); }

std::string format_eta(double seconds) {
  char buf[32];
  const long s = static_cast<long>(seconds + 0.5);
  if (s < 60) {
    std::snprintf(buf, sizeof buf, "%lds", s);
  } else if (s < 3600) {
    std::snprintf(buf, sizeof buf, "%ldm%02lds", s / 60, s % 60);
  } else {
    std::snprintf(buf, sizeof buf, "%ldh%02ldm", s / 3600, s / 60 % 60);
  }
  return buf;
}

void Progress::update(std::uint64_t done, std::uint64_t failures, bool final) {
  if (!enabled_) return;
  const Clock::time_point now = Clock::now();
  if (tty_) {
    if (!final && shown_ && now - last_draw_ < std::chrono::milliseconds(100)) return;
  } else {
    const std::uint64_t decile = done * 10 / total_;
    if (decile == last_decile_ && !(final && !shown_)) return;
    last_decile_ = decile;
  }
  last_draw_ = now;
  shown_ = true;
  const double elapsed = elapsed_seconds();
  const double rate = elapsed > 0 ? static_cast<double>(done) / elapsed : 0.0;
  constexpr std::uint64_t kWidth = 24;
  const std::uint64_t filled = std::min(kWidth, kWidth * done / total_);
  std::string bar(filled, '#');
  bar.append(kWidth - filled, '.');
  std::string eta = done < total_ && rate > 0 ? "  ETA " + format_eta(static_cast<double>(total_ - done) / rate) : "";
  std::fprintf(stderr, "%s[%s] %llu/%llu seeds  %.0f seeds/s  failures: %llu%s%s", tty_ ? "\r" : "", bar.c_str(),
               static_cast<unsigned long long>(done), static_cast<unsigned long long>(total_), rate,
               static_cast<unsigned long long>(failures), eta.c_str(), tty_ ? "\033[K" : "\n");
  if (tty_ && final) std::fputc('\n', stderr);
  std::fflush(stderr);
}

void Progress::clear() {
  if (enabled_ && tty_ && shown_) {
    std::fputs("\r\033[K", stderr);
    std::fflush(stderr);
  }
}

}  // namespace detio_sweep
