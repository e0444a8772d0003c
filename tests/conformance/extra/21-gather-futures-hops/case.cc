#include <detio/detio.h>

#include <chrono>
#include <cstdio>

using namespace std::chrono_literals;

detio::Task<void> ticker(int n) {
  for (int i = 0; i < n; ++i) {
    std::printf("tick %d\n", i);
    co_await detio::sleep(0ms);
  }
}

detio::Task<void> amain() {
  detio::Future<int> a, b;
  auto t = detio::create_task(ticker(6));
  co_await detio::sleep(0ms);
  a.set_result(1);
  b.set_result(2);
  std::printf("futures set\n");
  auto [x, y] = co_await detio::gather(a, b);
  std::printf("gather -> [%d, %d]\n", x, y);
  co_await t;
}

int main() { detio::sim::run(amain()); }
