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
#include <variant>

#include "detio/errors.h"
#include "detio/task.h"

namespace detio::internal {

// Whether a result can be handed out as copies. Standard containers claim
// to be copy-constructible whatever their elements are, so look inside
// (std::vector<std::unique_ptr<X>> is move-only).
template <class T, class = void>
struct IsCopyableResult : std::is_copy_constructible<T> {};
template <class T>
struct IsCopyableResult<T, std::void_t<typename T::value_type>>
    : std::bool_constant<std::is_copy_constructible_v<T> &&
                         (std::is_same_v<typename T::value_type, T> ||
                          IsCopyableResult<std::remove_const_t<typename T::value_type>>::value)> {};

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
    if constexpr (IsCopyableResult<ResultOf<T>>::value) {
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

// Nothing to keep for a void result (a million finished Task<void>s).
template <>
class ResultSlot<void> {
 public:
  void emplace() noexcept {}
  template <class Owner>
  std::monostate get(Owner) const noexcept {
    return {};
  }
};

}  // namespace detio::internal
