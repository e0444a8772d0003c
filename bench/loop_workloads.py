"""The loop_benchmark workloads in CPython asyncio, for bench/compare.

Prints one line per workload: "<name> <ns per item>". Same shapes as
bench/loop_benchmark.cc: spawn+finish in batches, Event ping-pong switches,
sleeps with 100 concurrent sleepers, and timeouts cancelled before firing.
"""
import asyncio
import sys
import time


async def noop():
    pass


async def spawn_batch(n):
    last = None
    for i in range(n):
        last = asyncio.create_task(noop())
        if (i & 1023) == 1023:
            await last
    await last


async def ping(mine, theirs, rounds):
    for _ in range(rounds):
        await mine.wait()
        mine.clear()
        theirs.set()


async def ping_pong(rounds):
    a, b = asyncio.Event(), asyncio.Event()
    left = asyncio.create_task(ping(a, b, rounds))
    right = asyncio.create_task(ping(b, a, rounds))
    a.set()
    await left
    await right


async def sleeper(rounds):
    # asyncio has no virtual clock: the shortest real sleep stands in.
    for _ in range(rounds):
        await asyncio.sleep(1e-9)


async def timers(n):
    await asyncio.gather(*(sleeper(n // 100) for _ in range(100)))


async def quick():
    pass


async def cancelled_timeouts(n):
    for _ in range(n):
        async with asyncio.timeout(1):
            await quick()


def measure(name, make, items):
    start = time.perf_counter()
    asyncio.run(make())
    elapsed = time.perf_counter() - start
    print(f"{name} {elapsed * 1e9 / items:.1f}", flush=True)


def main():
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 100000
    measure("BM_SpawnAndFinish", lambda: spawn_batch(n), n)
    measure("BM_EventPingPong", lambda: ping_pong(n), 2 * n)
    measure("BM_Timer", lambda: timers(n), n)
    measure("BM_TimerCancelled", lambda: cancelled_timeouts(n), n)


if __name__ == "__main__":
    main()
