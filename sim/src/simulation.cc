#include <fmt/format.h>

#include <map>
#include <string>

#include "detio/internal/run_main.h"
#include "detio/net/internal/sim_network.h"
#include "detio/sim/network_trace.h"
#include "detio/sim/run.h"
#include "detio/sim/run_hooks.h"
#include "node_table.h"
#include "options_check.h"
#include "trace_network.h"

namespace detio::sim::internal {
namespace {

// The network trace of the last run that ended on this thread.
thread_local net::Trace last_trace;
thread_local std::uint64_t last_hash = 0;

}  // namespace

struct Simulation::Streams {
  // Ordered by name: iteration order never depends on addresses or hashing.
  std::map<std::string, Random, std::less<>> by_name;
};

Simulation::Simulation(const Options& options)
    : options_(options),
      budget_(options.budget.max_steps || options.budget.max_virtual_time ? options.budget : kDefaultBudget),
      streams_(std::make_unique<Streams>()),
      trace_(options_.trace ? options_.trace : &hash_only_trace_) {
  check_options(options_);
  trace_->clear();
  hooks_ = std::make_unique<RunHooks>(loop_, options_.explore, options_.inject, *trace_, stream("schedule"),
                                      stream("inject"));
  loop_.set_observer(hooks_.get());
  loop_.set_schedule_policy(hooks_.get());
  network_trace_ = std::make_unique<NetworkTraceSink>(*trace_, options_.network.keep_trace);
  network_ = std::make_unique<net::internal::SimNetwork>(loop_, options_.network, options_.faults, stream("net"),
                                                         stream("net.faults"), *network_trace_);
  loop_.set_network(network_.get());
  loop_.set_backend(this);
  nodes_ = std::make_unique<NodeTable>(*network_);
}

Simulation::~Simulation() {
  detio::internal::LoopCore::Scope running(loop_);
  // Tasks first (their frames may still close transports), then the network.
  loop_.shutdown();
  nodes_.reset();
  network_.reset();
  // The network's hash joins the run's trace (trace_network.h).
  last_trace = network_trace_->finish(loop_.now());
  loop_.set_observer(nullptr);
  loop_.set_schedule_policy(nullptr);
  last_hash = trace_->hash();
}

void Simulation::record(TraceKind kind, const detio::internal::TaskStateBase* task, std::string detail) {
  hooks_->record(kind, task, detail);
}

Simulation* Simulation::current() noexcept {
  detio::internal::LoopCore* loop = detio::internal::LoopCore::current();
  return loop ? loop->backend<Simulation>() : nullptr;
}

Simulation& Simulation::running(const char* what) {
  Simulation* sim = current();
  if (!sim) throw RuntimeError(std::string(what) + " must be called inside detio::sim::run");
  return *sim;
}

const net::Trace& Simulation::network_trace() const noexcept { return network_trace_->network(); }

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

std::uint64_t Simulation::budget_steps() const noexcept { return hooks_->steps() + idle_iterations_; }

bool Simulation::out_of_budget() const {
  const std::uint64_t steps = hooks_->steps();
  if (steps == steps_seen_) ++idle_iterations_;
  steps_seen_ = steps;
  return (budget_.max_steps && budget_steps() > *budget_.max_steps) ||
         (budget_.max_virtual_time && loop_.now().time_since_epoch() > *budget_.max_virtual_time);
}

std::exception_ptr Simulation::cannot_finish(const TaskHandleBase& main, bool hung) {
  std::vector<std::string> blocked = detio::internal::describe_tasks(loop_);
  const std::string what = main.valid() ? fmt::format("main task {} did not finish", main.get_name())
                                        : std::string("after main finished, the cancelled tasks did not finish");
  std::string message =
      hung ? fmt::format("hang: {} within the budget ({} steps, {:.6f}s of virtual time so far); blocked tasks:",
                         what, budget_steps(), std::chrono::duration<double>(loop_.now().time_since_epoch()).count())
           : "deadlock: main task " + main.get_name() +
                 " can never finish (no task is ready and no timer is pending); blocked tasks:";
  for (const std::string& b : blocked) message += "\n  " + b;
  if (hung) return std::make_exception_ptr(HangError(std::move(message), std::move(blocked)));
  return std::make_exception_ptr(DeadlockError(std::move(message), std::move(blocked)));
}

}  // namespace detio::sim::internal

namespace detio::sim {

const net::Trace& network_trace() { return internal::Simulation::running("sim::network_trace()").network_trace(); }

const net::Trace& last_network_trace() noexcept { return internal::last_trace; }

std::uint64_t last_trace_hash() noexcept { return internal::last_hash; }

}  // namespace detio::sim
