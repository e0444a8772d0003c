// Where a finished task or a future keeps its value. Copyable results are
// handed out as copies, any number of times (asyncio's result()). A
// move-only result (std::unique_ptr, ...) cannot be copied, so it is handed
// over by move exactly once, to the first co_await or result() that asks;
// asking again throws InvalidStateError instead of returning a moved-from
// value.
#pragma once

#include <optional>
#include <string>
#include <type_traits>
#include <utility>

#include "detio/errors.h"
#include "detio/task.h"

namespace detio::internal {

template <class T>
class ResultSlot {
 public:
  template <class... Args>
  void emplace(Args&&... args) {
    value_.emplace(std::forward<Args>(args)...);
  }

  // Requires a stored value. `owner()` names the task or future for the
  // error (called only then: the copy path builds no string).
  template <class Owner>
  ResultOf<T> get(Owner owner) {
    if constexpr (std::is_copy_constructible_v<ResultOf<T>>) {
      return *value_;
    } else {
      if (taken_) {
        throw InvalidStateError("the result of " + owner() +
                                " was already taken: a move-only result is handed over once");
      }
      taken_ = true;
      return std::move(*value_);
    }
  }

 private:
  std::optional<ResultOf<T>> value_;
  bool taken_ = false;
};

}  // namespace detio::internal
