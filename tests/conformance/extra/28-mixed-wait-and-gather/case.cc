#include <detio/detio.h>

#include <chrono>
#include <cstdio>
#include <string>
#include <vector>

using namespace std::chrono_literals;
using detio::AnyFuture;
using detio::Future;
using detio::ReturnWhen;
using detio::Task;

template <class T>
Task<T> value_after(detio::Duration delay, T value) {
  co_await detio::sleep(delay);
  co_return value;
}

Task<int> fail_after(detio::Duration delay, std::string what) {
  co_await detio::sleep(delay);
  throw detio::ValueError(what);
}

std::string describe_error(const std::exception_ptr& e) {
  try {
    std::rethrow_exception(e);
  } catch (const detio::ValueError& v) {
    return std::string("ValueError(") + v.what() + ")";
  }
}

template <class T>
std::string describe(const detio::Outcome<T>& o) {
  if (!o.ok()) return describe_error(o.error());
  if constexpr (std::is_same_v<T, std::string>) {
    return "'" + o.value() + "'";
  } else {
    return std::to_string(o.value());
  }
}

template <class T>
Future<T> set_later(detio::Duration delay, T value) {
  Future<T> f;
  detio::call_later(delay, [f, value]() mutable { f.set_result(value); });
  return f;
}

std::string join(const std::vector<std::string>& parts) {
  std::string out;
  for (const std::string& p : parts) out += (out.empty() ? "" : ", ") + ("'" + p + "'");
  return "[" + out + "]";
}

Task<void> amain() {
  auto [seven, bad, text] = co_await detio::gather_settled(value_after(10ms, 7), fail_after(10ms, "bad"),
                                                           set_later(20ms, std::string("from a future")));
  std::printf("gather settled: %s, %s, %s\n", describe(seven).c_str(), describe(bad).c_str(),
              describe(text).c_str());

  Future<std::string> fut = set_later(20ms, std::string("late value"));
  auto number = detio::create_task(value_after(10ms, 42));
  auto failing = detio::create_task(fail_after(30ms, "boom"));
  const std::vector<AnyFuture> named{number, fut, failing};
  const char* names[] = {"number", "future", "failing"};
  const std::pair<ReturnWhen, const char*> modes[] = {{ReturnWhen::kFirstCompleted, "FIRST_COMPLETED"},
                                                      {ReturnWhen::kFirstException, "FIRST_EXCEPTION"},
                                                      {ReturnWhen::kAllCompleted, "ALL_COMPLETED"}};
  for (const auto& [mode, label] : modes) {
    auto [done, pending] = co_await detio::wait(named, {.timeout = std::nullopt, .return_when = mode});
    std::vector<std::string> done_names;
    std::vector<std::string> pending_names;
    for (std::size_t i = 0; i < named.size(); ++i) {
      for (const AnyFuture& f : done) {
        if (f == named[i]) done_names.push_back(names[i]);
      }
      for (const AnyFuture& f : pending) {
        if (f == named[i]) pending_names.push_back(names[i]);
      }
    }
    std::printf("%s: done %s pending %s\n", label, join(done_names).c_str(), join(pending_names).c_str());
  }
  std::printf("number=%d future='%s' failing=%s\n", number.result(), fut.result().c_str(),
              describe_error(failing.exception()).c_str());

  std::vector<Future<int>> futures(3);
  detio::call_later(10ms, [f = futures[1]]() mutable { f.set_result(1); });
  detio::call_later(50ms, [f = futures[0]]() mutable { f.set_result(0); });
  auto after = co_await detio::wait(futures, {.timeout = 20ms, .return_when = ReturnWhen::kAllCompleted});
  auto index_of = [&](const Future<int>& f) {
    for (std::size_t i = 0; i < futures.size(); ++i) {
      if (futures[i] == f) return std::to_string(i);
    }
    return std::string("?");
  };
  std::string done_list;
  for (const auto& f : after.done) done_list += (done_list.empty() ? "" : ", ") + index_of(f);
  std::string pending_list;
  for (const auto& f : after.pending) pending_list += (pending_list.empty() ? "" : ", ") + index_of(f);
  std::printf("futures after 20 ms: done [%s] pending [%s]\n", done_list.c_str(), pending_list.c_str());
  futures[2].cancel();

  std::vector<Future<int>> timed(3);
  const detio::Duration delays[] = {30ms, 10ms, 20ms};
  for (int i = 0; i < 3; ++i) {
    detio::call_later(delays[i], [f = timed[i], i]() mutable { f.set_result(i * 10); });
  }
  std::string values;
  for (auto next : detio::as_completed(timed)) {
    const int v = co_await next;
    values += (values.empty() ? "" : ", ") + std::to_string(v);
  }
  std::printf("as_completed futures: %s\n", values.c_str());

  Future<std::string> text_future = set_later(20ms, std::string("text"));
  auto last = detio::create_task(fail_after(30ms, "last"));
  auto three = detio::create_task(value_after(10ms, 3));
  const std::vector<AnyFuture> mixed{last, text_future, three};
  for (auto next : detio::as_completed(mixed)) {
    AnyFuture f = co_await next;
    if (f == AnyFuture(three)) {
      std::printf("as_completed mixed: %d\n", three.result());
    } else if (f == AnyFuture(text_future)) {
      std::printf("as_completed mixed: '%s'\n", text_future.result().c_str());
    } else {
      std::printf("as_completed mixed: raised %s\n", describe_error(f.exception()).c_str());
    }
  }
}

int main() { detio::sim::run(amain()); }
