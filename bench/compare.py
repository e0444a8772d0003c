"""bench/compare's driver: runs every bench/ workload in detio (both
backends), CPython asyncio and uvloop in one go and prints one table.

    python3 compare.py BUILD_DIR

Times are CPU time per item (each program's own process), so other load on
the machine inflates them less than wall time would; the echo benchmark
reports wall-clock round trips/s beside the server's CPU per round trip.
"""
import json
import os
import resource
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
PYTHON = os.environ.get("PYTHON", "/usr/bin/python3")
SWEEP_SEEDS = 5000


def run(cmd, env=None):
    return subprocess.run(cmd, check=True, capture_output=True, text=True, env=env).stdout


def google_benchmark(binary, pattern):
    out = run([binary, f"--benchmark_filter={pattern}", "--benchmark_format=json", "--benchmark_min_time=0.3"])
    results = {}
    for b in json.loads(out)["benchmarks"]:
        results[b["name"].split("/")[0]] = b
    return results


def ns_per_item(b):
    return 1e9 / b["items_per_second"]


def detio_loop(build):
    binary = os.path.join(build, "bench", "loop_benchmark")
    names = "SpawnAndFinish|FanOut|EventPingPong|QueuePingPong|CallLater0|TimerArmFire|TimeoutCancelled"
    found = google_benchmark(binary, f"^BM_({names})<")
    values = {}
    for key, b in found.items():
        workload, backend = key[3:].rstrip(">").split("<")
        values[(workload, backend)] = ns_per_item(b)
    for backend in ("Real", "Sim"):
        b = google_benchmark(binary, f"^BM_SleepingTasks<{backend}>")[f"BM_SleepingTasks<{backend}>"]
        values[("SleepingTasks", backend)] = ns_per_item(b)
        values[("SleepingBytes", backend)] = b["bytes_per_task"]
        values[("SleepingPeak", backend)] = b["peak_rss_mib"]
    return values


def detio_sim(build):
    found = google_benchmark(os.path.join(build, "bench", "sim_benchmark"), ".")
    values = {
        "EchoSeedInProcess": found["BM_EchoSeed"]["items_per_second"],
        "BusyNetwork": found["BM_BusyNetwork"]["items_per_second"],
    }
    # The sweep as a user runs it: detio-sweep and one child process.
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    run([os.path.join(build, "tools", "detio_sweep", "detio-sweep"), "--seeds", f"1..{SWEEP_SEEDS}", "--jobs", "1",
         os.path.join(build, "bench", "echo_sweep")])
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    values["EchoSweep"] = SWEEP_SEEDS / cpu
    return values


PY_WORKLOADS = ["spawn_and_finish", "fan_out", "event_ping_pong", "queue_ping_pong", "call_later_0",
                "timer_arm_fire", "timeout_cancelled", "echo_seed"]


def python_side(loop):
    flags = ["--uvloop"] if loop == "uvloop" else []
    values = {}
    for line in run([PYTHON, os.path.join(HERE, "workloads.py"), *flags, *PY_WORKLOADS]).splitlines():
        name, ns = line.split()[:2]
        values[name] = float(ns)
    fields = run([PYTHON, os.path.join(HERE, "workloads.py"), *flags, "sleeping_tasks"]).split()
    values["sleeping_tasks"], values["sleeping_bytes"], values["sleeping_peak"] = map(float, fields[1:4])
    return values


def echo(build):
    env = dict(os.environ, ECHO_RAW="1", RUNS=os.environ.get("ECHO_RUNS", "3"), PYTHON=PYTHON)
    values = {}
    for line in run([os.path.join(HERE, "echo", "compare_echo"), build], env=env).splitlines():
        _, name, rate, cpu = line.split()
        values[name] = (float(rate), float(cpu)) if rate != "n/a" else (None, None)
    return values


def fmt(v, unit):
    if v is None:
        return "n/a"
    if unit in ("rt/s", "seeds/s", "events/s"):
        return f"{v:,.0f}"
    return f"{v:,.1f}" if v < 1000 else f"{v:,.0f}"


def main():
    build = sys.argv[1]
    start = time.monotonic()
    d = detio_loop(build)
    s = detio_sim(build)
    py = {"asyncio": python_side("asyncio"), "uvloop": python_side("uvloop")}
    e = echo(build)

    def loop_row(label, unit, workload, pykey, target, check):
        a, u = py["asyncio"].get(pykey), py["uvloop"].get(pykey)
        real, sim = d[(workload, "Real")], d[(workload, "Sim")]
        lower_is_better = unit not in ("rt/s", "seeds/s", "events/s")
        ratio = (lambda x: a / x) if lower_is_better else (lambda x: x / a)
        verdict = "/".join("ok" if check(x, backend) else "MISS" for x, backend in ((real, "Real"), (sim, "Sim")))
        return [label, unit, fmt(a, unit), fmt(u, unit), fmt(real, unit), fmt(sim, unit),
                f"{ratio(real):.0f}x/{ratio(sim):.0f}x", target, verdict]

    spawn = {b: d[("SpawnAndFinish", b)] for b in ("Real", "Sim")}
    asyncio_fan = py["asyncio"]["fan_out"]
    rows = [
        loop_row("(i) 200k tasks, sleep(0) once, gathered", "ns/task", "FanOut", "fan_out",
                 ">=50x asyncio, <=2x spawn", lambda x, b: x * 50 <= asyncio_fan and x <= 2 * spawn[b]),
        loop_row("    spawn + finish (reference)", "ns/task", "SpawnAndFinish", "spawn_and_finish", "", lambda x, b: True),
        loop_row("(ii) Event ping-pong, 1M switches", "ns/switch", "EventPingPong", "event_ping_pong", "<=25 ns",
                 lambda x, b: x <= 25),
        loop_row("(ii) Queue ping-pong, 1M switches", "ns/switch", "QueuePingPong", "queue_ping_pong", "<=25 ns",
                 lambda x, b: x <= 25),
        loop_row("(iii) 1M call_later(0)", "ns/timer", "CallLater0", "call_later_0", "<=100 ns", lambda x, b: x <= 100),
        loop_row("(iii) timer arm+fire, 1M pending", "ns/timer", "TimerArmFire", "timer_arm_fire", "<=100 ns",
                 lambda x, b: x <= 100),
        loop_row("(iv) cancelled timeout, 1M pending", "ns/timeout", "TimeoutCancelled", "timeout_cancelled",
                 "<=100 ns", lambda x, b: x <= 100),
        loop_row("(v) 1M sleeping tasks: memory", "bytes/task", "SleepingBytes", "sleeping_bytes", "<=300 B",
                 lambda x, b: x <= 300),
        loop_row("(v) 1M sleeping tasks: peak RSS", "MiB", "SleepingPeak", "sleeping_peak", "<300 MiB",
                 lambda x, b: x < 300),
        loop_row("(v) 1M sleeping tasks: time", "ns/task", "SleepingTasks", "sleeping_tasks", "", lambda x, b: True),
    ]
    epoll_rate, epoll_cpu = e["epoll"]
    detio_rate, detio_cpu = e["detio"]
    rows.append(["(vi) echo 50 conn x 2000 x 64 B", "rt/s", fmt(e["asyncio"][0], "rt/s"), fmt(e["uvloop"][0], "rt/s"),
                 fmt(detio_rate, "rt/s"), "", f"{detio_rate / e['asyncio'][0]:.1f}x",
                 f">=0.9x epoll ({epoll_rate:,.0f})", "ok" if detio_rate >= 0.9 * epoll_rate else "MISS"])
    rows.append(["(vi) echo: server CPU per round trip", "us/rt", fmt(e["asyncio"][1], "us"), fmt(e["uvloop"][1], "us"),
                 f"{detio_cpu:.2f}", "", f"{e['asyncio'][1] / detio_cpu:.1f}x",
                 f"<=1.05x epoll ({epoll_cpu:.2f})", "ok" if detio_cpu <= 1.05 * epoll_cpu else "MISS"])
    # asyncio has no simulator: its column is the same echo run over real
    # loopback sockets, once per "seed", on one loop.
    a_seed, u_seed = 1e9 / py["asyncio"]["echo_seed"], 1e9 / py["uvloop"]["echo_seed"]
    rows.append(["(vii) echo sweep, detio-sweep --jobs 1", "seeds/s", fmt(a_seed, "seeds/s"), fmt(u_seed, "seeds/s"),
                 "", fmt(s["EchoSweep"], "seeds/s"), f"{s['EchoSweep'] / a_seed:.0f}x", ">=15,000/core",
                 "ok" if s["EchoSweep"] >= 15000 else "MISS"])
    rows.append(["(vii) the same seeds in one process", "seeds/s", "", "", "", fmt(s["EchoSeedInProcess"], "seeds/s"),
                 "", "", ""])
    rows.append(["(vii) busy simulated network", "events/s", "", "", "", fmt(s["BusyNetwork"], "events/s"), "", "", ""])

    header = ["workload", "unit", "CPython asyncio", "uvloop", "detio epoll", "detio sim", "vs asyncio", "target",
              "met"]
    widths = [max(len(str(r[i])) for r in rows + [header]) for i in range(len(header))]
    def line(r):
        return "  ".join(str(c).ljust(widths[i]) if i in (0, 1, 7, 8) else str(c).rjust(widths[i])
                         for i, c in enumerate(r))
    print(line(header))
    print("  ".join("-" * w for w in widths))
    for r in rows:
        print(line(r))
    print(f"\nCPU time per item in each program's own process; 'vs asyncio' = asyncio / detio "
          f"(epoll/sim), higher is better. (vii) asyncio column: the same 10x10 echo run over loopback "
          f"sockets. Echo: server on CPU 0, client on CPU 1, median of {os.environ.get('ECHO_RUNS', '3')} runs. "
          f"Python {run([PYTHON, '-c', 'import sys; print(sys.version.split()[0])']).strip()}; "
          f"total {time.monotonic() - start:.0f} s; load average {os.getloadavg()[0]:.1f}.")


if __name__ == "__main__":
    main()
