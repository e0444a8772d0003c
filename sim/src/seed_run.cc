#include "detio/sim/seed_run.h"

#include <cxxabi.h>

#include <cstdlib>
#include <exception>
#include <memory>
#include <typeinfo>

#include "detio/errors.h"

namespace detio::sim {
namespace {

std::string type_name(const std::type_info& type) {
  int status = 0;
  std::unique_ptr<char, void (*)(void*)> name(abi::__cxa_demangle(type.name(), nullptr, nullptr, &status), std::free);
  return status == 0 && name ? std::string(name.get()) : std::string(type.name());
}

}  // namespace

std::string one_line(std::string_view message) {
  std::string out;
  out.reserve(message.size());
  for (char c : message) {
    if (c == '\n') {
      out += " | ";
    } else if (c != '\r') {
      out += c;
    }
  }
  return out;
}

SeedReport run_seed(const SweepBody& body, Options options, const Knobs& knobs, Trace* trace) {
  SeedReport report;
  report.seed = options.seed;
  Trace hash_only(false);
  Trace& recorder = trace ? *trace : hash_only;
  recorder.clear();
  internal::KnobContext context{&knobs, {}};
  try {
    knobs.apply(options);
    options.trace = &recorder;
    internal::KnobScope scope(context);
    body(options);
  } catch (const std::exception& e) {
    report.ok = false;
    report.message = type_name(typeid(e)) + ": " + e.what();
  } catch (const CancelledError& e) {
    // Not a std::exception on purpose (catch (std::exception&) must not
    // swallow it), but a run ending in it is common: name it.
    report.ok = false;
    report.message = "detio::CancelledError: " + e.message();
  } catch (...) {
    report.ok = false;
    report.message = "unknown exception";
  }
  report.hash = recorder.hash();
  report.user_knobs = std::move(context.seen);
  return report;
}

}  // namespace detio::sim
