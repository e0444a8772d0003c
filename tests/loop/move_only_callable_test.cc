// Callables are taken by value (API.md), move-only ones included: a lambda
// owning a std::unique_ptr works as a done callback on a handle or a Future
// and as a start_server client callback.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <memory>
#include <string>

#include "test_util.h"

namespace {

using namespace detio_core_test;
using ::testing::ElementsAre;
using detio::Task;

TEST(MoveOnlyCallable, DoneCallbacksOnHandlesAndFutures) {
  Log log;
  detio::sim::run([&]() -> Task<void> {
    auto h = detio::create_task([]() -> Task<int> { co_return 1; }());
    h.add_done_callback([&log, owned = std::make_unique<std::string>("handle")](detio::TaskHandle<int> t) {
      log.push_back(*owned + " " + std::to_string(t.result()));
    });
    detio::Future<int> f;
    f.add_done_callback([&log, owned = std::make_unique<std::string>("future")](detio::Future<int> g) {
      log.push_back(*owned + " " + std::to_string(g.result()));
    });
    co_await h;
    f.set_result(2);
    co_await detio::sleep(0ms);
  }());
  EXPECT_THAT(log, ElementsAre("handle 1", "future 2"));
}

TEST(MoveOnlyCallable, ServerCallbackOwningState) {
  std::string reply;
  detio::sim::run([&]() -> Task<void> {
    auto greeting = std::make_unique<std::string>("hello ");
    auto handler = [greeting = std::move(greeting)](detio::StreamReader r, detio::StreamWriter w) -> Task<void> {
      std::string name = co_await r.readline();
      w.write(*greeting + name);
      co_await w.drain();
      w.close();
    };
    detio::Server server = co_await detio::start_server(std::move(handler), "127.0.0.1", 0);
    auto [r, w] = co_await detio::open_connection("127.0.0.1", server.port());
    w.write("detio\n");
    reply = co_await r.readline();
    w.close();
    server.close();
    co_await server.wait_closed();
  }());
  EXPECT_EQ(reply, "hello detio\n");
}

}  // namespace
