// A simulation test as docs/guide.md's "Writing simulation tests" shows it:
// GoogleTest tests whose body runs once per seed. This file has no main():
// it links GTest::gtest_main (see docs/examples/CMakeLists.txt).
//
//   ./example_sim_test                                   seeds 1..100
//   DETIO_SEEDS=1..5000 ./example_sim_test               more seeds
//   DETIO_SEED=42 DETIO_TRACE=t ./example_sim_test --gtest_filter=Bank.Transfers
//                                                        replay one, traced
#include <detio/detio.h>
#include <detio/sim/gtest.h>

#include <map>
#include <string>
#include <vector>

namespace {

using namespace std::chrono_literals;
using detio::Task;

// A bank whose transfers read a balance, wait for the "database", then
// write it back: the lock across that await is what keeps concurrent
// transfers from losing updates (take it out and both tests fail within a
// few seeds).
struct Bank {
  std::map<std::string, int> balance{{"a", 100}, {"b", 100}, {"c", 100}};
  detio::Lock lock;

  Task<void> transfer(std::string from, std::string to, int amount) {
    auto guard = co_await lock.scoped();
    const int from_balance = balance[from];
    if (from_balance < amount) co_return;
    co_await detio::sleep(detio::sim::random().duration(0ms, 5ms));  // the database round trip
    balance[from] = from_balance - amount;
    balance[to] += amount;
  }
};

Task<int> random_transfers() {
  Bank bank;
  const std::vector<std::string> names{"a", "b", "c"};
  std::vector<Task<void>> transfers;
  for (int i = 0; i < 20; ++i) {
    const auto from = names[detio::sim::random().uniform(0, 2)];
    const auto to = names[detio::sim::random().uniform(0, 2)];
    transfers.push_back(bank.transfer(from, to, static_cast<int>(detio::sim::random().uniform(1, 60))));
  }
  co_await detio::gather(std::move(transfers));
  int total = 0;
  for (const auto& [name, amount] : bank.balance) total += amount;
  co_return total;
}

DETIO_SIM_TEST(Bank, Transfers) { EXPECT_EQ(detio::sim::run(random_transfers(), sim_options()), 300); }

// A fixture chooses the seed range and the exploration for its tests.
class BankUnderExploration : public detio::sim::SimTest {
  void configure(detio::sim::SweepOptions& o) override {
    o.seeds = {1, 300};
    o.base.explore.timer_slack = 2ms;
    o.base.explore.shuffle_same_instant = true;
  }
};

DETIO_SIM_TEST_F(BankUnderExploration, Transfers) {
  EXPECT_EQ(detio::sim::run(random_transfers(), sim_options()), 300);
}

}  // namespace
