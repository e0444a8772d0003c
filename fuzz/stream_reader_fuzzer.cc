// Fuzz target: detio::StreamReader against a reference model written from
// CPython's asyncio.StreamReader. The input picks the reader's limit, then
// a sequence of steps: feed a chunk, feed EOF, start a read (read(n),
// readline, readexactly(n), readuntil(separator)), cancel the pending read.
// After each step the loop runs until it is quiet; the pending read must
// then have finished exactly when the model says it can, with the same
// bytes or the same error, and a cancelled read must leave every byte.
#include <cstdint>
#include <optional>
#include <string>

#include "detio/detio.h"
#include "fuzz_input.h"

namespace {

using detio::Task;
using detio_fuzz::FuzzInput;

[[noreturn]] void mismatch(const std::string& what) {
  std::fprintf(stderr, "stream_reader_fuzzer: %s\n", what.c_str());
  std::abort();
}

struct Op {
  enum Kind { kRead, kReadline, kReadexactly, kReaduntil } kind = kRead;
  std::int64_t n = 0;
  std::string separator;
};

// How a read ended: "ok:<bytes>", "incomplete:<partial>/<expected>",
// "overrun:<consumed>", "ValueError", "Cancelled".
using Outcome = std::string;

// asyncio.StreamReader's semantics on a plain buffer.
class Model {
 public:
  explicit Model(std::size_t limit) : limit_(limit) {}
  void feed(const std::string& data) { buffer_ += data; }
  void feed_eof() { eof_ = true; }
  const std::string& buffer() const { return buffer_; }

  // The outcome if `op` can finish now (consuming what it reads), else
  // nullopt: it waits for more data.
  std::optional<Outcome> try_finish(const Op& op) {
    switch (op.kind) {
      case Op::kRead:
        if (op.n == 0) return "ok:";
        if (op.n < 0) {
          if (!eof_) return std::nullopt;
          return "ok:" + take(buffer_.size());
        }
        if (buffer_.empty() && !eof_) return std::nullopt;
        return "ok:" + take(static_cast<std::size_t>(op.n));
      case Op::kReadexactly: {
        if (op.n < 0) return "ValueError";
        const auto n = static_cast<std::size_t>(op.n);
        if (buffer_.size() >= n) return "ok:" + take(n);
        if (!eof_) return std::nullopt;
        const std::string partial = take(buffer_.size());
        return "incomplete:" + partial + "/" + std::to_string(n);
      }
      case Op::kReaduntil: return readuntil(op.separator);
      case Op::kReadline: {
        std::optional<Outcome> r = readuntil("\n");
        if (!r) return r;
        if (r->starts_with("incomplete:")) return "ok:" + r->substr(11, r->rfind('/') - 11);
        if (r->starts_with("overrun:")) {
          // asyncio drops the over-long line, up to its separator if seen.
          const std::size_t consumed = std::stoul(r->substr(8));
          if (buffer_.compare(consumed, 1, "\n") == 0) {
            take(consumed + 1);
          } else {
            take(buffer_.size());
          }
          return "ValueError";
        }
        return r;
      }
    }
    return std::nullopt;
  }

 private:
  std::optional<Outcome> readuntil(const std::string& sep) {
    if (sep.empty()) return "ValueError";
    const std::size_t at = buffer_.find(sep);
    if (at != std::string::npos) {
      if (at > limit_) return "overrun:" + std::to_string(at);
      return "ok:" + take(at + sep.size());
    }
    if (buffer_.size() >= sep.size() && buffer_.size() + 1 - sep.size() > limit_) {
      return "overrun:" + std::to_string(buffer_.size() + 1 - sep.size());
    }
    if (eof_) return "incomplete:" + take(buffer_.size()) + "/-";
    return std::nullopt;
  }
  std::string take(std::size_t n) {
    std::string out = buffer_.substr(0, n);
    buffer_.erase(0, out.size());
    return out;
  }

  std::size_t limit_;
  std::string buffer_;
  bool eof_ = false;
};

Task<Outcome> perform(detio::StreamReader reader, Op op) {
  try {
    std::string bytes;
    switch (op.kind) {
      case Op::kRead: bytes = co_await reader.read(op.n); break;
      case Op::kReadline: bytes = co_await reader.readline(); break;
      case Op::kReadexactly: bytes = co_await reader.readexactly(op.n); break;
      case Op::kReaduntil: bytes = co_await reader.readuntil(op.separator); break;
    }
    co_return "ok:" + bytes;
  } catch (const detio::IncompleteReadError& e) {
    co_return "incomplete:" + e.partial + "/" + (e.expected ? std::to_string(*e.expected) : std::string("-"));
  } catch (const detio::LimitOverrunError& e) {
    co_return "overrun:" + std::to_string(e.consumed);
  } catch (const detio::ValueError&) {
    co_return "ValueError";
  } catch (const detio::CancelledError&) {
    co_return "Cancelled";
  }
}

// Lets every ready task run (several iterations: a read may hop tasks).
Task<void> settle() {
  for (int i = 0; i < 4; ++i) co_await detio::sleep(std::chrono::nanoseconds(0));
}

Task<void> program(FuzzInput& in) {
  const auto limit = static_cast<std::size_t>(in.in(1, 24));
  detio::StreamReader reader(limit);
  Model model(limit);
  detio::TaskHandle<Outcome> pending;
  Op pending_op;
  bool eof = false;
  const std::string alphabet = "ab\n\r";
  for (int step = 0; step < 64 && !in.empty(); ++step) {
    const int choice = in.in(0, 9);
    if (choice <= 3 && eof) {
      // asyncio: feed_data/feed_eof after feed_eof is a programming error.
    } else if (choice <= 2) {
      const std::string chunk = in.text(12, alphabet);
      reader.feed_data(chunk);
      model.feed(chunk);
    } else if (choice == 3) {
      reader.feed_eof();
      model.feed_eof();
      eof = true;
    } else if (choice == 4) {
      if (pending.valid() && !pending.done()) pending.cancel();
    } else if (!pending.valid() || pending.done()) {
      Op op;
      op.kind = static_cast<Op::Kind>(in.in(0, 3));
      op.n = in.in(-2, 20);
      op.separator = in.text(3, alphabet);
      pending_op = op;
      pending = detio::create_task(perform(reader, op));
    }
    co_await settle();
    if (!pending.valid()) continue;
    if (pending.done()) {
      const Outcome got = pending.result();
      if (got == "Cancelled") {
        // Cancel-safe: nothing was consumed.
        if (choice != 4) mismatch("a read was cancelled by nobody");
      } else {
        std::optional<Outcome> want = model.try_finish(pending_op);
        if (!want) mismatch("the reader finished a read the model says must wait: " + got);
        if (*want != got) mismatch("reader gave '" + got + "', model '" + *want + "'");
      }
      pending = {};
    } else {
      // Still waiting: the model must agree without consuming anything.
      Model probe = model;
      if (probe.try_finish(pending_op)) mismatch("the reader waits where the model finishes");
    }
    if (reader.at_eof() && !model.buffer().empty()) mismatch("at_eof() with bytes buffered");
  }
  if (pending.valid() && !pending.done()) {
    pending.cancel();
    co_await settle();
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  FuzzInput in(data, size);
  detio::sim::run(program(in), detio::sim::Options{.seed = 1, .budget = {.max_virtual_time = std::nullopt, .max_steps = 100000}});
  return 0;
}
