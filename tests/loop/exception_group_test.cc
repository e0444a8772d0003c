// detio::ExceptionGroup's split and subgroup (PEP 654, the helpers behind
// `except*`): by type and by predicate, nested groups searched leaf by leaf
// with their shape and messages kept, a matching group taken whole, and the
// original exception objects passed through.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "test_util.h"

namespace {

using namespace detio_core_test;
using detio::ExceptionGroup;

struct LookupError : detio::Error {
  using detio::Error::Error;
};
struct KeyError : LookupError {
  using LookupError::LookupError;
};

template <class E>
std::exception_ptr ptr(E e) {
  return std::make_exception_ptr(std::move(e));
}

// [message: leaf, [nested: ...]] with each leaf as describe() prints it.
std::string shape(const std::optional<ExceptionGroup>& g) {
  if (!g) return "None";
  std::string out = "[" + g->message() + ":";
  for (const std::exception_ptr& e : g->exceptions()) {
    try {
      std::rethrow_exception(e);
    } catch (const ExceptionGroup& nested) {
      out += " " + shape(nested);
    } catch (const KeyError& k) {
      out += std::string(" KeyError(") + k.what() + ")";
    } catch (...) {
      out += " " + describe(e);
    }
  }
  return out + "]";
}

ExceptionGroup sample() {
  return ExceptionGroup("outer", {ptr(detio::ValueError("v")),
                                  ptr(ExceptionGroup("inner", {ptr(KeyError("k")), ptr(detio::TimeoutError())})),
                                  ptr(KeyError("k2"))});
}

TEST(ExceptionGroup, WhatCountsSubExceptionsAndMessageIsBare) {
  ExceptionGroup one("msg", {ptr(detio::ValueError("a"))});
  EXPECT_STREQ(one.what(), "msg (1 sub-exception)");
  EXPECT_EQ(one.message(), "msg");
  EXPECT_STREQ(sample().what(), "outer (3 sub-exceptions)");
}

TEST(ExceptionGroup, SplitByTypeKeepsNestingAndOrderOnBothSides) {
  auto [match, rest] = sample().split<KeyError>();
  EXPECT_EQ(shape(match), "[outer: [inner: KeyError(k)] KeyError(k2)]");
  EXPECT_EQ(shape(rest), "[outer: ValueError(v) [inner: TimeoutError]]");
}

TEST(ExceptionGroup, SplitByABaseClassOrSeveralTypes) {
  EXPECT_EQ(shape(sample().subgroup<LookupError>()), "[outer: [inner: KeyError(k)] KeyError(k2)]");
  auto [match, rest] = sample().split<detio::ValueError, detio::TimeoutError>();
  EXPECT_EQ(shape(match), "[outer: ValueError(v) [inner: TimeoutError]]");
  EXPECT_EQ(shape(rest), "[outer: [inner: KeyError(k)] KeyError(k2)]");
}

TEST(ExceptionGroup, NoMatchOrAllMatchLeaveOneSideEmpty) {
  auto none = sample().split<detio::OSError>();
  EXPECT_FALSE(none.match);
  EXPECT_EQ(shape(none.rest), shape(sample()));
  // The group itself is an Error and an ExceptionGroup: it matches whole.
  EXPECT_EQ(shape(sample().subgroup<detio::Error>()), shape(sample()));
  auto groups = sample().split<ExceptionGroup>();
  EXPECT_EQ(shape(groups.match), shape(sample()));
  EXPECT_FALSE(groups.rest);
}

TEST(ExceptionGroup, APredicateSeesGroupsAndLeaves) {
  std::vector<std::string> seen;
  auto only_k = [&](const std::exception_ptr& e) {
    try {
      std::rethrow_exception(e);
    } catch (const ExceptionGroup& g) {
      seen.push_back("group " + g.message());
      return false;
    } catch (const KeyError& k) {
      seen.push_back(std::string("leaf ") + k.what());
      return std::string(k.what()) == "k";
    } catch (...) {
      seen.push_back("leaf other");
      return false;
    }
  };
  EXPECT_EQ(shape(sample().subgroup(only_k)), "[outer: [inner: KeyError(k)]]");
  EXPECT_THAT(seen, ::testing::ElementsAre("group outer", "leaf other", "group inner", "leaf k", "leaf other",
                                           "leaf k2"));
}

TEST(ExceptionGroup, WhollyMatchedPiecesAreTheOriginalObjects) {
  const ExceptionGroup eg = sample();
  auto [match, rest] = eg.split<KeyError, detio::TimeoutError>();
  ASSERT_TRUE(match && rest);
  EXPECT_EQ(match->exceptions()[0], eg.exceptions()[1]);  // the whole inner group
  EXPECT_EQ(match->exceptions()[1], eg.exceptions()[2]);
  EXPECT_EQ(rest->exceptions()[0], eg.exceptions()[0]);
}

TEST(ExceptionGroup, ATaskGroupsFailuresSplitLikeExceptStar) {
  detio::sim::run([]() -> detio::Task<void> {
    auto body = [](detio::TaskGroup& tg) -> detio::Task<void> {
      tg.create_task([]() -> detio::Task<void> {
        co_await detio::sleep(1ms);
        throw KeyError("late");
      }());
      throw detio::ValueError("body");
      co_return;
    };
    try {
      co_await detio::task_group(body);
      ADD_FAILURE() << "no ExceptionGroup";
    } catch (const ExceptionGroup& eg) {
      EXPECT_EQ(shape(eg.subgroup<detio::ValueError>()), "[unhandled errors in a TaskGroup: ValueError(body)]");
      EXPECT_FALSE(eg.subgroup<KeyError>());  // the child was cancelled first
    }
  }());
}

}  // namespace
