// Which task is stuck, and on what: the running loop's unfinished tasks,
// one line each ("Task-3: waiting on Server.wait_closed", "main: awaiting
// task worker"), in creation order. It is the list the simulator's
// DeadlockError and HangError carry, here on demand on either backend, and
// on the real one also on a signal:
//
//   detio::dump_pending_tasks_on_signal();   // then `kill -QUIT <pid>`
#pragma once

#include <csignal>
#include <cstdio>
#include <string>
#include <vector>

namespace detio {

// RuntimeError outside a loop.
std::vector<std::string> describe_pending_tasks();
// Writes describe_pending_tasks() to `out` under a header line.
void dump_pending_tasks(std::FILE* out = stderr);
// Real backend: until the loop ends, signal `signo` (SIGQUIT unless told
// otherwise) makes the loop write dump_pending_tasks() to stderr instead of
// the signal's default action (a core dump, for SIGQUIT); the previous
// handler comes back when the loop ends. Calling it again is a no-op.
// RuntimeError outside a real loop, or if another loop already watches a
// signal.
void dump_pending_tasks_on_signal(int signo = SIGQUIT);

}  // namespace detio
