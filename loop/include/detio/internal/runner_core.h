// What detio::Runner and detio::sim::Runner share (asyncio.Runner): one
// loop kept across several run() calls. The backend is the running loop
// only inside run() and close(); tasks left pending by one run() carry on
// in the next. close() (also done by the destructor) cancels what is left,
// lets it finish, frees every frame and then the backend itself, as the end
// of asyncio.run does (so a simulation's trace hash is final after close).
//
// Backend is a LoopBackend (run_main.h). close() throws if the shutdown overruns the
// backend's budget (a simulation: HangError); it frees everything anyway.
#pragma once

#include <cstdio>
#include <exception>
#include <optional>
#include <string>
#include <type_traits>
#include <utility>

#include "absl/cleanup/cleanup.h"
#include "detio/errors.h"
#include "detio/internal/loop_core.h"
#include "detio/internal/run_main.h"
#include "detio/task_handle.h"

namespace detio::internal {

template <LoopBackend Backend>
class RunnerCore {
 public:
  template <class... Args>
  explicit RunnerCore(const char* name, Args&&... args) : name_(name) {
    backend_.emplace(std::forward<Args>(args)...);
  }
  RunnerCore(const RunnerCore&) = delete;
  // A close() that fails here can only be reported: destructors must not
  // throw.
  ~RunnerCore() {
    try {
      close();
    } catch (const std::exception& e) {
      std::fprintf(stderr, "detio: %s: closing the loop failed: %s\n", name_, e.what());
    }
  }

  // run(main), then close(), so that an error of the shutdown reaches the
  // caller: run(main) as asyncio.run does it.
  template <class T>
  T run_then_close(Task<T> main) {
    if constexpr (std::is_void_v<T>) {
      run(std::move(main));
      close();
    } else {
      T result = run(std::move(main));
      close();
      return result;
    }
  }

  template <class T>
  T run(Task<T> main) {
    if (!backend_) throw RuntimeError(std::string(name_) + ".run(): the runner is closed");
    if (LoopCore::current()) throw RuntimeError(std::string(name_) + " cannot be called from a running event loop");
    TaskHandle<T> handle;
    std::exception_ptr stuck;  // main can never finish: drive() freed every task
    {
      LoopCore::Scope active(backend_->loop());
      running_ = true;
      absl::Cleanup not_running = [this] { running_ = false; };
      handle = create_task(std::move(main));
      try {
        drive(*backend_, handle);
      } catch (...) {
        stuck = std::current_exception();
      }
    }
    if (stuck) {
      backend_.reset();
      std::rethrow_exception(stuck);
    }
    if constexpr (std::is_void_v<T>) {
      handle.result();
    } else {
      return handle.result();
    }
  }

  void close() {
    if (running_) throw RuntimeError(std::string(name_) + ".close() cannot be called while its run() is running");
    if (!backend_) return;
    // The backend goes even if finish() throws (it then freed every task).
    absl::Cleanup release = [this] { backend_.reset(); };
    LoopCore::Scope active(backend_->loop());
    finish(*backend_);
  }

 private:
  const char* name_;
  std::optional<Backend> backend_;
  bool running_ = false;
};

}  // namespace detio::internal
