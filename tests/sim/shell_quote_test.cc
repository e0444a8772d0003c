// The one shell quoting of the replay lines (sim::sweep, DETIO_SCENARIO_MAIN
// and detio-sweep print it): plain words stay as they are, anything else is
// one single-quoted word a shell reads back unchanged.
#include <gtest/gtest.h>

#include <cstdio>
#include <string>

#include "detio/sim/internal/shell_quote.h"

namespace {

using detio::sim::internal::shell_quote;

TEST(ShellQuote, PlainWordsStayAsTheyAre) {
  EXPECT_EQ(shell_quote("build/release/bench/echo_sweep"), "build/release/bench/echo_sweep");
  EXPECT_EQ(shell_quote("faults=off,ops=4"), "faults=off,ops=4");
  EXPECT_EQ(shell_quote("--gtest_filter=Suite.Name"), "--gtest_filter=Suite.Name");
}

TEST(ShellQuote, AnythingElseIsOneSingleQuotedWord) {
  EXPECT_EQ(shell_quote(""), "''");
  EXPECT_EQ(shell_quote("a b"), "'a b'");
  EXPECT_EQ(shell_quote("$HOME*"), "'$HOME*'");
  EXPECT_EQ(shell_quote("it's"), "'it'\\''s'");
}

// What a shell makes of the quoted word is the word itself.
TEST(ShellQuote, AShellReadsItBack) {
  for (std::string word : {"it's a \"test\"", "$(echo no) `no` \\n", "tab\there", "*"}) {
    const std::string command = "printf %s " + shell_quote(word);
    std::FILE* shell = ::popen(command.c_str(), "r");
    ASSERT_NE(shell, nullptr);
    std::string out;
    char buffer[256];
    while (std::size_t n = std::fread(buffer, 1, sizeof buffer, shell)) out.append(buffer, n);
    EXPECT_EQ(::pclose(shell), 0);
    EXPECT_EQ(out, word);
  }
}

}  // namespace
