import asyncio

log = []


async def spinner(name, n):
    for i in range(n):
        log.append(f"{name} spin {i}")
        await asyncio.sleep(0)


async def ev_waiter(name, ev):
    log.append(f"{name} waiting, is_set={ev.is_set()}")
    try:
        await ev.wait()
    except asyncio.CancelledError:
        log.append(f"{name} cancelled")
        raise
    log.append(f"{name} woke, is_set={ev.is_set()}")


async def cond_waiter(name, cond):
    async with cond:
        log.append(f"{name} waits")
        await cond.wait()
        log.append(f"{name} notified")
    log.append(f"{name} released")


async def pred_waiter(name, cond, state, target):
    async with cond:
        log.append(f"{name} wait_for n>={target}")
        await cond.wait_for(lambda: state["n"] >= target)
        log.append(f"{name} sees n={state['n']}")


async def event_part():
    ev = asyncio.Event()
    waiters = [asyncio.create_task(ev_waiter(f"w{i}", ev)) for i in range(4)]
    sp = asyncio.create_task(spinner("s", 5))
    await asyncio.sleep(0)
    waiters[2].cancel()
    log.append("main set+clear")
    ev.set()
    ev.clear()
    log.append(f"main is_set={ev.is_set()}")
    await asyncio.sleep(0)
    log.append("main after 1 yield")
    late = asyncio.create_task(ev_waiter("late", ev))
    await asyncio.sleep(0)
    log.append("main set again")
    ev.set()
    ev.set()
    fast = asyncio.create_task(ev_waiter("fast", ev))
    for t in waiters + [late, fast, sp]:
        try:
            await t
        except asyncio.CancelledError:
            log.append("main: a waiter was cancelled")
    log.append(f"event part done, is_set={ev.is_set()}")


async def condition_part():
    cond = asyncio.Condition()
    state = {"n": 0}
    cws = [asyncio.create_task(cond_waiter(f"c{i}", cond)) for i in range(5)]
    pws = [asyncio.create_task(pred_waiter(f"p{t}", cond, state, t)) for t in (1, 2)]
    sp = asyncio.create_task(spinner("t", 8))
    await asyncio.sleep(0)
    async with cond:
        log.append("main notify(1)")
        cond.notify(1)
    await asyncio.sleep(0)
    async with cond:
        log.append("main notify(2), holding the lock over a yield")
        cond.notify(2)
        await asyncio.sleep(0)
        log.append("main releases")
    await asyncio.sleep(0)
    async with cond:
        state["n"] = 1
        log.append("main n=1, notify_all")
        cond.notify_all()
    await asyncio.sleep(0)
    await asyncio.sleep(0)
    async with cond:
        state["n"] = 2
        log.append("main n=2, notify(1)")
        cond.notify(1)
    for t in cws + pws + [sp]:
        await t
    log.append(f"condition part done, locked={cond.locked()}")


async def main():
    await event_part()
    await condition_part()
    for line in log:
        print(line)


asyncio.run(main())
