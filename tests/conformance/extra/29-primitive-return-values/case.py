import asyncio


async def main():
    lock = asyncio.Lock()
    print(f"lock.acquire() -> {await lock.acquire()}")

    async def contender():
        got = await lock.acquire()
        print(f"contender: lock.acquire() after waiting -> {got}")
        lock.release()

    t = asyncio.create_task(contender())
    await asyncio.sleep(0.01)
    lock.release()
    await t

    sem = asyncio.Semaphore(1)
    print(f"sem.acquire() -> {await sem.acquire()}")
    waiter = asyncio.create_task(sem.acquire())
    await asyncio.sleep(0.01)
    sem.release()
    print(f"sem.acquire() after waiting -> {await waiter}")

    event = asyncio.Event()
    waiting = asyncio.create_task(event.wait())
    await asyncio.sleep(0.01)
    event.set()
    print(f"event.wait() after set -> {await waiting}")
    print(f"event.wait() when already set -> {await event.wait()}")

    cond = asyncio.Condition()
    items = []

    async def consumer():
        async with cond:
            print(f"consumer: cond.wait() -> {await cond.wait()}")
            got = await cond.wait_for(lambda: len(items) >= 2 and len(items))
            print(f"consumer: cond.wait_for(...) -> {got!r}")
            first = await cond.wait_for(lambda: items[0] if items else None)
            print(f"consumer: cond.wait_for(first item) -> {first!r}")

    c = asyncio.create_task(consumer())
    for i in range(3):
        await asyncio.sleep(0.01)
        async with cond:
            items.append(f"item{i}")
            print(f"producer: {len(items)} item(s), notify")
            cond.notify()
    await c


asyncio.run(main())
