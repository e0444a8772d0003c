#include "detio/wait.h"

#include <memory>

namespace detio::internal {
namespace {

// The state of one asyncio._wait call, living in its coroutine frame.
class WaitState {
 public:
  WaitState(std::vector<FutureBase*> futures, WaitOptions options)
      : futures_(std::move(futures)),
        options_(options),
        remaining_(futures_.size()),
        nodes_(new Completion[futures_.size()]) {
    if (options_.timeout) {
      LoopCore& loop = running_loop();
      loop.call_at_user(&timer_, deadline_after(loop.now(), *options_.timeout));
    }
    for (std::size_t i = 0; i < futures_.size(); ++i) {
      nodes_[i].state = this;
      nodes_[i].future = futures_[i];
      futures_[i]->add_callback(&nodes_[i]);
    }
  }

  static constexpr WaitKind kWaitKind = plain_wait("wait");
  Waiter waiter{&kWaitKind};

 private:
  struct Completion : ReadyNode {
    Completion() noexcept : ReadyNode(&Completion::fire) {}
    static void fire(ReadyNode* n, Action a) {
      if (a != Action::kRun) return;
      auto* self = static_cast<Completion*>(n);
      self->state->on_completion(*self->future);
    }
    WaitState* state = nullptr;
    FutureBase* future = nullptr;
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
  // One allocation for every task's done callback.
  std::unique_ptr<Completion[]> nodes_;
  MemberTimer<WaitState, &WaitState::on_timeout> timer_{this};
};

}  // namespace

Task<void> wait_until(std::vector<FutureBase*> futures, WaitOptions options) {
  WaitState state(std::move(futures), options);
  co_await FutureAwaiter(state.waiter);
}

}  // namespace detio::internal
