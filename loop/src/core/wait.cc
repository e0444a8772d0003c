#include "detio/wait.h"

#include <deque>

namespace detio::internal {
namespace {

// The state of one asyncio._wait call, living in its coroutine frame.
class WaitState {
 public:
  WaitState(std::vector<TaskHandleBase> handles, WaitOptions options)
      : handles_(std::move(handles)), options_(options), remaining_(handles_.size()) {
    if (options_.timeout) {
      LoopCore& loop = running_loop();
      loop.call_at_user(&timer_, deadline_after(loop.now(), *options_.timeout));
    }
    for (TaskHandleBase& h : handles_) {
      nodes_.emplace_back(this, &h);
      h.state().add_callback(&nodes_.back());
    }
  }

  Waiter waiter{"wait"};

 private:
  struct Completion : ReadyNode {
    Completion(WaitState* s, TaskHandleBase* h) noexcept : ReadyNode(&Completion::fire), state(s), handle(h) {}
    static void fire(ReadyNode* n, Action a) {
      if (a != Action::kRun) return;
      auto* self = static_cast<Completion*>(n);
      self->state->on_completion(*self->handle);
    }
    WaitState* state;
    TaskHandleBase* handle;
  };

  void on_completion(const TaskHandleBase& h) {
    --remaining_;
    const bool failed = !h.cancelled() && h.state().failed();
    if (remaining_ == 0 || options_.return_when == ReturnWhen::kFirstCompleted ||
        (options_.return_when == ReturnWhen::kFirstException && failed)) {
      timer_.cancel();
      waiter.set_result();
    }
  }
  void on_timeout() { waiter.set_result(); }

  std::vector<TaskHandleBase> handles_;
  WaitOptions options_;
  std::size_t remaining_;
  std::deque<Completion> nodes_;
  MemberTimer<WaitState, &WaitState::on_timeout> timer_{this};
};

}  // namespace

Task<void> wait_until(std::vector<TaskHandleBase> handles, WaitOptions options) {
  WaitState state(std::move(handles), options);
  co_await FutureAwaiter(state.waiter);
}

}  // namespace detio::internal
