// The idioms users write, on the simulator and on real sockets, in the
// spellings every compiler gets right (the gcc-asan preset runs this built
// by g++ 12 under ASan+UBSan): lambdas with captures passed straight into
// start_server, task_group, create_task and wait_for inside co_await —
// captured by reference, or named first, or their values passed as
// arguments (std::bind_front, task_group(body, args...)). See the README,
// "g++ 12 and coroutines"; gcc_coroutine_trap_test.cc shows the one
// spelling g++ 12 gets wrong.
#include <gtest/gtest.h>

#include <detio/detio.h>

#include <functional>
#include <string>
#include <vector>

#include "../support/backends.h"

using namespace std::chrono_literals;
using detio::StreamReader;
using detio::StreamWriter;
using detio::Task;

namespace {

class UserIdiomsTest : public detio_test::BackendTest {};

// The tag first, as std::bind_front(answer_tagged, tag) passes it.
Task<void> answer_tagged(std::string tag, StreamReader r, StreamWriter w) {
  std::string line = co_await r.readline();
  w.write(tag + ":" + line);
  co_await w.drain();
  w.close();
}

Task<std::string> ask(std::string host, std::uint16_t port, std::string line) {
  auto [r, w] = co_await detio::open_connection(std::move(host), port);
  w.write(line);
  std::string answer = co_await r.readline();
  w.close();
  co_return answer;
}

Task<std::string> slow_echo(std::string text) {
  co_await detio::sleep(1ms);
  co_return text;
}

Task<void> fill(detio::TaskGroup& tg, std::vector<std::string>& out, std::string tag, int n) {
  for (int i = 0; i < n; ++i) {
    auto append = [](std::vector<std::string>& to, std::string item) -> Task<void> {
      co_await detio::sleep(1ms);
      to.push_back(std::move(item));
    };
    tg.create_task(append(out, tag + std::to_string(i)));
  }
  co_return;
}

TEST_P(UserIdiomsTest, StartServerWithCapturingLambdas) {
  run([&]() -> Task<void> {
    const std::string tag(40, 't');  // long enough to live on the heap
    // Captured by reference, straight into start_server inside co_await.
    detio::Server by_ref = co_await detio::start_server(
        [&](StreamReader r, StreamWriter w) -> Task<void> { co_await answer_tagged(tag + "-ref", r, w); }, host(), 0);
    // The values as arguments: std::bind_front's result is a call's result.
    detio::Server bound = co_await detio::start_server(std::bind_front(answer_tagged, tag + "-bound"), host(), 0);
    // By-value captures: name the lambda first.
    auto by_value = [tag](StreamReader r, StreamWriter w) { return answer_tagged(tag, std::move(r), std::move(w)); };
    detio::Server named = co_await detio::start_server(std::move(by_value), host(), 0);
    EXPECT_EQ(co_await ask(host(), by_ref.port(), "a\n"), tag + "-ref:a\n");
    EXPECT_EQ(co_await ask(host(), bound.port(), "b\n"), tag + "-bound:b\n");
    EXPECT_EQ(co_await ask(host(), named.port(), "c\n"), tag + ":c\n");
    const std::vector<detio::Server*> servers = {&by_ref, &bound, &named};
    for (detio::Server* s : servers) {
      s->close();
      co_await s->wait_closed();
    }
  });
}

TEST_P(UserIdiomsTest, TaskGroupWithCapturesAndWithArguments) {
  run([&]() -> Task<void> {
    std::vector<std::string> out;
    const std::string tag(40, 'g');
    co_await detio::task_group([&](detio::TaskGroup& tg) -> Task<void> {
      tg.create_task(slow_echo(tag));
      co_await fill(tg, out, "ref", 2);
    });
    // The README's spelling for values: task_group(body, args...).
    co_await detio::task_group(fill, std::ref(out), tag, 2);
    EXPECT_EQ(out, (std::vector<std::string>{"ref0", "ref1", tag + "0", tag + "1"}));
  });
}

TEST_P(UserIdiomsTest, CreateTaskAndWaitForInsideCoAwait) {
  run([&]() -> Task<void> {
    const std::string tag(40, 'w');
    EXPECT_EQ(co_await detio::wait_for(detio::create_task(slow_echo(tag)), 1s), tag);
    // A lambda coroutine called at once: its closure lives until the end of
    // the co_await, and a [&] closure has nothing for g++ to destroy twice.
    EXPECT_EQ(co_await detio::wait_for([&]() -> Task<std::string> { co_return co_await slow_echo(tag + "!"); }(), 1s),
              tag + "!");
    // A by-value lambda kept alive while its task runs, then awaited.
    auto job = [tag]() -> Task<std::size_t> { co_return (co_await slow_echo(tag)).size(); };
    detio::TaskHandle<std::size_t> h = detio::create_task(job());
    EXPECT_EQ(co_await detio::wait_for(h, 1s), tag.size());
    bool timed_out = false;
    try {
      co_await detio::wait_for(detio::create_task(detio::sleep(1s)), 1ms);
    } catch (const detio::TimeoutError&) {
      timed_out = true;
    }
    EXPECT_TRUE(timed_out);
  });
}

DETIO_INSTANTIATE_STREAM_BACKENDS(UserIdiomsTest);

}  // namespace
