#include <map>
#include <string>

#include "detio/internal/run_main.h"
#include "detio/net/internal/sim_network.h"
#include "detio/sim/network_trace.h"
#include "detio/sim/run.h"

namespace detio::sim::internal {
namespace {

thread_local Simulation* current_simulation = nullptr;
// The network trace of the last run that ended on this thread.
thread_local net::Trace last_trace;

const Options& check_not_nested(const Options& options) {
  if (detio::internal::LoopCore::current())
    throw RuntimeError("detio::sim::run() cannot be called from a running event loop");
  return options;
}

}  // namespace

struct Simulation::Streams {
  // Ordered by name: iteration order never depends on addresses or hashing.
  std::map<std::string, Random, std::less<>> by_name;
};

Simulation::Simulation(const Options& options)
    : options_(check_not_nested(options)),
      scope_(loop_),
      previous_(current_simulation),
      streams_(std::make_unique<Streams>()) {
  current_simulation = this;
  network_ = std::make_unique<net::internal::SimNetwork>(loop_, options_.network, options_.faults, stream("net"),
                                                         stream("net.faults"));
  loop_.set_network(network_.get());
}

Simulation::~Simulation() {
  // Tasks first (their frames may still close transports), then the network.
  loop_.shutdown();
  last_trace = network_->take_trace();
  network_.reset();
  current_simulation = previous_;
}

Simulation* Simulation::current() noexcept { return current_simulation; }

Random& Simulation::stream(std::string_view name) {
  auto it = streams_->by_name.find(name);
  if (it == streams_->by_name.end()) {
    it = streams_->by_name.emplace(std::string(name), Random(options_.seed ^ stream_key(name))).first;
  }
  return it->second;
}

bool Simulation::poll(detio::internal::LoopCore& loop, std::optional<TimePoint> deadline) {
  if (!deadline) return false;
  if (*deadline > loop.now()) loop.set_now(*deadline);
  return true;
}

void Simulation::run_main(const TaskHandleBase& main) {
  bool finished = detio::internal::drive_until(loop_, *this, [&] { return main.done(); });
  if (!finished) {
    std::vector<std::string> blocked;
    loop_.tasks().for_each([&](detio::internal::TaskRegistryEntry* e) {
      blocked.push_back(e->task->name() + ": " + e->task->describe_wait());
    });
    std::string message = "deadlock: main task " + main.get_name() +
                          " can never finish (no task is ready and no timer is pending); blocked tasks:";
    for (const std::string& b : blocked) message += "\n  " + b;
    loop_.shutdown();
    throw DeadlockError(std::move(message), std::move(blocked));
  }
  detio::internal::cancel_remaining_tasks(loop_, *this);
  loop_.shutdown();
}

}  // namespace detio::sim::internal

namespace detio::sim {

const net::Trace& network_trace() {
  internal::Simulation* sim = internal::Simulation::current();
  if (!sim) throw RuntimeError("sim::network_trace() must be called inside detio::sim::run");
  return sim->network().trace();
}

const net::Trace& last_network_trace() noexcept { return internal::last_trace; }

}  // namespace detio::sim
