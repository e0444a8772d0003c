"""The bench/ workloads in Python, on the default asyncio loop or (with
--uvloop) on uvloop, for bench/compare. The same shapes as
bench/loop_benchmark.cc and bench/sim/echo_scenario.h.

    python3 workloads.py [--uvloop] NAME...

Prints one line per workload: "<name> <ns per item>" (CPU time of this
process), and for sleeping_tasks "<name> <ns> <bytes per task> <peak RSS MiB>".
"""
import asyncio
import resource
import sys
import time

PENDING_TIMERS = 1_000_000


def cpu_ns():
    return time.process_time_ns()


def rss_bytes(field):
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith(field + ":"):
                return int(line.split()[1]) * 1024
    return 0


async def noop():
    pass


async def spawn_and_finish(n):
    last = None
    for i in range(n):
        last = asyncio.create_task(noop())
        if (i & 1023) == 1023:
            await last
    await last


async def sleep_once():
    await asyncio.sleep(0)


async def fan_out(n):
    await asyncio.gather(*(sleep_once() for _ in range(n)))


async def event_ping(mine, theirs, rounds):
    for _ in range(rounds):
        await mine.wait()
        mine.clear()
        theirs.set()


async def event_ping_pong(switches):
    a, b = asyncio.Event(), asyncio.Event()
    left = asyncio.create_task(event_ping(a, b, switches // 2))
    right = asyncio.create_task(event_ping(b, a, switches // 2))
    a.set()
    await left
    await right


async def queue_ping(mine, theirs, rounds):
    for _ in range(rounds):
        v = await mine.get()
        theirs.put_nowait(v + 1)


async def queue_ping_pong(switches):
    a, b = asyncio.Queue(), asyncio.Queue()
    left = asyncio.create_task(queue_ping(a, b, switches // 2))
    right = asyncio.create_task(queue_ping(b, a, switches // 2))
    a.put_nowait(0)
    await left
    await right


async def call_later_0(n):
    loop = asyncio.get_running_loop()
    all_ran = loop.create_future()
    left = n

    def count():
        nonlocal left
        left -= 1
        if left == 0:
            all_ran.set_result(None)

    for _ in range(n):
        loop.call_later(0, count)
    await all_ran


def park_timers(loop):
    return [loop.call_later(3600 + i * 1e-6, noop) for i in range(PENDING_TIMERS)]


async def timer_arm_fire(n, clock):
    loop = asyncio.get_running_loop()
    clock.pause()
    parked = park_timers(loop)
    clock.resume()
    done = loop.create_future()
    left = n

    def fire():
        nonlocal left
        left -= 1
        if left == 0:
            done.set_result(None)
        else:
            loop.call_later(0, fire)

    loop.call_later(0, fire)
    await done
    clock.pause()
    for h in parked:
        h.cancel()


async def quick():
    pass


async def timeout_cancelled(n, clock):
    loop = asyncio.get_running_loop()
    clock.pause()
    parked = park_timers(loop)
    clock.resume()
    for _ in range(n):
        async with asyncio.timeout(1):
            await quick()
    clock.pause()
    for h in parked:
        h.cancel()


async def sleep_long():
    await asyncio.sleep(1)


async def sleeping_tasks(n, memory):
    before = rss_bytes("VmRSS")
    handles = [asyncio.create_task(sleep_long()) for _ in range(n)]
    await asyncio.sleep(0)  # every task has run up to its sleep
    memory.append((rss_bytes("VmRSS") - before) / n)
    await asyncio.gather(*handles)


async def echo(reader, writer):
    while True:
        line = await reader.readline()
        if not line:
            break
        writer.write(line)
        await writer.drain()
    writer.close()


async def echo_client(port, cid, lines):
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    for i in range(lines):
        line = f"client {cid} line {i}\n".encode()
        writer.write(line)
        await writer.drain()
        if await reader.readline() != line:
            raise RuntimeError("echo differs from what was sent")
    writer.close()
    await writer.wait_closed()


async def echo_run(clients, lines):
    server = await asyncio.start_server(echo, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    await asyncio.gather(*(echo_client(port, c, lines) for c in range(clients)))
    server.close()
    await server.wait_closed()


class Clock:
    """CPU time of this process, with pauses for set-up inside a run."""

    def __init__(self):
        self.total = 0
        self.started = cpu_ns()

    def pause(self):
        if self.started is not None:
            self.total += cpu_ns() - self.started
            self.started = None

    def resume(self):
        self.started = cpu_ns()


def timed(make, items):
    """CPU ns per item of asyncio.run(make(clock))."""
    clock = Clock()
    asyncio.run(make(clock))
    clock.pause()
    return clock.total / items


def main():
    args = sys.argv[1:]
    if "--uvloop" in args:
        import uvloop

        uvloop.install()
        args.remove("--uvloop")
    for name in args:
        memory = []
        if name == "spawn_and_finish":
            ns = timed(lambda c: spawn_and_finish(200_000), 200_000)
        elif name == "fan_out":
            ns = timed(lambda c: fan_out(200_000), 200_000)
        elif name == "event_ping_pong":
            ns = timed(lambda c: event_ping_pong(1_000_000), 1_000_000)
        elif name == "queue_ping_pong":
            ns = timed(lambda c: queue_ping_pong(1_000_000), 1_000_000)
        elif name == "call_later_0":
            ns = timed(lambda c: call_later_0(1_000_000), 1_000_000)
        elif name == "timer_arm_fire":
            ns = timed(lambda c: timer_arm_fire(1_000_000, c), 1_000_000)
        elif name == "timeout_cancelled":
            ns = timed(lambda c: timeout_cancelled(1_000_000, c), 1_000_000)
        elif name == "sleeping_tasks":
            ns = timed(lambda c: sleeping_tasks(1_000_000, memory), 1_000_000)
        elif name == "echo_seed":
            runs = 50
            ns = timed(lambda c: echo_runs(runs), runs)
        else:
            sys.exit(f"workloads.py: unknown workload {name}")
        extra = f" {memory[0]:.0f} {rss_bytes('VmHWM') / 2**20:.1f}" if memory else ""
        print(f"{name} {ns:.1f}{extra}", flush=True)


async def echo_runs(runs):
    # asyncio.run per run would time loop creation too; one loop, as the
    # simulator's seeds share nothing but the process.
    for _ in range(runs):
        await echo_run(10, 10)


if __name__ == "__main__":
    main()
