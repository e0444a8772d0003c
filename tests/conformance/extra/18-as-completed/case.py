import asyncio


async def job(name, delay, fail=False):
    await asyncio.sleep(delay)
    if fail:
        raise ValueError(name)
    return name


async def main():
    tasks = [asyncio.create_task(job(n, d)) for n, d in (("slow", 0.03), ("fast", 0.01), ("mid", 0.02))]
    for i, next_done in enumerate(asyncio.as_completed(tasks)):
        print(f"{i}: {await next_done}")

    tasks = [
        asyncio.create_task(job("ok", 0.01)),
        asyncio.create_task(job("boom", 0.02, fail=True)),
        asyncio.create_task(job("late", 0.10)),
    ]
    for next_done in asyncio.as_completed(tasks, timeout=0.05):
        try:
            print(f"got {await next_done}")
        except ValueError as e:
            print(f"error ValueError({e})")
        except TimeoutError:
            print("timeout")
    print(f"late still running: {not tasks[2].done()}")
    print(f"late -> {await tasks[2]}")


asyncio.run(main())
