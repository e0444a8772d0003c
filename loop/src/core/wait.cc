#include "detio/wait.h"

#include <deque>

namespace detio::internal {
namespace {

// The state of one asyncio._wait call, living in its coroutine frame.
class WaitState {
 public:
  WaitState(std::vector<FutureBase*> futures, WaitOptions options)
      : futures_(std::move(futures)), options_(options), remaining_(futures_.size()) {
    if (options_.timeout) {
      LoopCore& loop = running_loop();
      loop.call_at_user(&timer_, deadline_after(loop.now(), *options_.timeout));
    }
    for (FutureBase* f : futures_) {
      nodes_.emplace_back(this, f);
      f->add_callback(&nodes_.back());
    }
  }

  Waiter waiter{"wait"};

 private:
  struct Completion : ReadyNode {
    Completion(WaitState* s, FutureBase* f) noexcept : ReadyNode(&Completion::fire), state(s), future(f) {}
    static void fire(ReadyNode* n, Action a) {
      if (a != Action::kRun) return;
      auto* self = static_cast<Completion*>(n);
      self->state->on_completion(*self->future);
    }
    WaitState* state;
    FutureBase* future;
  };

  void on_completion(const FutureBase& f) {
    --remaining_;
    const bool failed = f.failed();
    if (remaining_ == 0 || options_.return_when == ReturnWhen::kFirstCompleted ||
        (options_.return_when == ReturnWhen::kFirstException && failed)) {
      timer_.cancel();
      waiter.set_result();
    }
  }
  void on_timeout() { waiter.set_result(); }

  std::vector<FutureBase*> futures_;
  WaitOptions options_;
  std::size_t remaining_;
  std::deque<Completion> nodes_;
  MemberTimer<WaitState, &WaitState::on_timeout> timer_{this};
};

}  // namespace

Task<void> wait_until(std::vector<FutureBase*> futures, WaitOptions options) {
  WaitState state(std::move(futures), options);
  co_await FutureAwaiter(state.waiter);
}

}  // namespace detio::internal
