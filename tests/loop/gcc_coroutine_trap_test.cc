// Keeps the README's g++ 12 warning honest: a by-value lambda temporary
// that is an argument of a call inside co_await is destroyed once by clang
// and by g++ >= 13, and twice by g++ 12 (GCC's coroutine bug; no detio
// needed to show it). When this fails on g++, the compiler got fixed: drop
// the warning (cmake/DetioCompilerCheck.cmake) and this expectation.
#include <gtest/gtest.h>

#include <detio/detio.h>

namespace {

int constructed = 0;
int destroyed = 0;

// Counts its lives; nothing on the heap, so a double destroy is harmless.
struct Counted {
  Counted() { ++constructed; }
  Counted(const Counted&) { ++constructed; }
  Counted(Counted&&) noexcept { ++constructed; }
  ~Counted() { ++destroyed; }
};

template <class F>
detio::Task<int> call(F f) {
  co_return f();
}

detio::Task<int> lambda_temporary_in_co_await() {
  Counted c;
  co_return co_await call([c] { return 1; });
}

#if defined(__GNUC__) && !defined(__clang__) && __GNUC__ < 13
constexpr int kExtraDestructions = 1;  // the g++ 12 bug
#else
constexpr int kExtraDestructions = 0;
#endif

TEST(GccCoroutineTrap, ByValueLambdaTemporaryInsideCoAwait) {
  constructed = destroyed = 0;
  EXPECT_EQ(detio::sim::run(lambda_temporary_in_co_await()), 1);
  EXPECT_EQ(destroyed, constructed + kExtraDestructions) << constructed << " constructed";
}

}  // namespace
