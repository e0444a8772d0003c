import asyncio

log = []


async def yields(n):
    for _ in range(n):
        await asyncio.sleep(0)


async def party(name, barrier, delays):
    for r, delay in enumerate(delays):
        await yields(delay)
        log.append(f"{name} arrives for round {r} (n_waiting {barrier.n_waiting})")
        try:
            index = await barrier.wait()
        except asyncio.BrokenBarrierError:
            log.append(f"{name} round {r}: BrokenBarrierError")
            return -1
        log.append(f"{name} round {r} index {index}")
    return len(delays)


async def barrier_part():
    b = asyncio.Barrier(3)
    tasks = [
        asyncio.create_task(party("p0", b, [0, 2])),
        asyncio.create_task(party("p1", b, [1, 0])),
        asyncio.create_task(party("p2", b, [3, 1])),
        asyncio.create_task(party("x", b, [3])),
    ]
    await yields(12)
    log.append(f"main: n_waiting {b.n_waiting} broken {b.broken}")
    await b.abort()
    log.append(f"main aborted: n_waiting {b.n_waiting} broken {b.broken}")
    for t in tasks:
        log.append(f"party returned {await t}")
    try:
        await b.wait()
    except asyncio.BrokenBarrierError:
        log.append("wait after abort: BrokenBarrierError")


async def locker(name, lock, hold):
    log.append(f"{name} acquiring (locked {lock.locked()})")
    try:
        await lock.acquire()
    except asyncio.CancelledError:
        log.append(f"{name} cancelled while acquiring (locked {lock.locked()})")
        raise
    log.append(f"{name} acquired")
    await yields(hold)
    log.append(f"{name} releases")
    lock.release()


async def lock_part():
    lock = asyncio.Lock()
    await lock.acquire()
    ls = [asyncio.create_task(locker(f"l{i}", lock, 1)) for i in range(3)]
    await yields(1)
    ls[1].cancel()
    log.append("main cancelled l1")
    await yields(1)
    log.append("main releases")
    lock.release()
    for t in ls:
        try:
            await t
        except asyncio.CancelledError:
            log.append("main: l1 was cancelled")
    log.append(f"round 1 done, locked {lock.locked()}")

    await lock.acquire()
    ms = [asyncio.create_task(locker(f"m{i}", lock, 2)) for i in range(3)]
    await yields(1)
    log.append("main releases, cancels the woken m0, then acquires again")
    lock.release()
    ms[0].cancel()
    await lock.acquire()
    log.append("main acquired again")
    lock.release()
    for t in ms:
        try:
            await t
        except asyncio.CancelledError:
            log.append("main: m0 was cancelled")
    log.append(f"round 2 done, locked {lock.locked()}")
    try:
        lock.release()
    except RuntimeError:
        log.append("release of unlocked lock: RuntimeError")


async def main():
    await barrier_part()
    await lock_part()
    for line in log:
        print(line)


asyncio.run(main())
