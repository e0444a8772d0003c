import asyncio


async def set_later(fut, value, delay):
    await asyncio.sleep(delay)
    if not fut.done():
        fut.set_result(value)


async def main():
    loop = asyncio.get_running_loop()

    f1 = loop.create_future()
    asyncio.create_task(set_later(f1, 1, 0.01))
    print(f"wait_for(f1) -> {await asyncio.wait_for(f1, 0.5)}")

    f2 = loop.create_future()
    try:
        await asyncio.wait_for(f2, 0.02)
    except TimeoutError:
        print(f"wait_for(f2) timed out, f2 cancelled={f2.cancelled()}")

    f3 = loop.create_future()
    f3.set_result(3)
    print(f"wait_for(f3, 0) -> {await asyncio.wait_for(f3, 0)}")

    f4 = loop.create_future()
    try:
        await asyncio.wait_for(f4, 0)
    except TimeoutError:
        print(f"wait_for(f4, 0) timed out, f4 cancelled={f4.cancelled()}")

    f5 = loop.create_future()

    async def shielded_waiter():
        try:
            return await asyncio.shield(f5)
        except asyncio.CancelledError:
            print("waiter: cancelled while shielded")
            raise

    w = asyncio.create_task(shielded_waiter())
    await asyncio.sleep(0.01)
    w.cancel()
    try:
        await w
    except asyncio.CancelledError:
        print(f"main: waiter cancelled, f5 cancelled={f5.cancelled()}")
    f5.set_result(5)
    print(f"f5 -> {await f5}")

    f6, f7 = loop.create_future(), loop.create_future()
    asyncio.create_task(set_later(f6, 6, 0.02))
    asyncio.create_task(set_later(f7, 7, 0.01))
    print(f"gather(f6, f7) -> {await asyncio.gather(f6, f7)}")

    f8, f9 = loop.create_future(), loop.create_future()

    async def run_gather():
        return await asyncio.gather(f8, f9)

    g = asyncio.create_task(run_gather())
    await asyncio.sleep(0.01)
    g.cancel()
    try:
        await g
    except asyncio.CancelledError:
        print(f"main: gather cancelled, f8 cancelled={f8.cancelled()}, f9 cancelled={f9.cancelled()}")

    ok, bad = loop.create_future(), loop.create_future()
    ok.set_result(10)
    bad.set_exception(ValueError("bad"))
    results = await asyncio.gather(ok, bad, return_exceptions=True)
    print(f"gather(return_exceptions) -> {results[0]}, {type(results[1]).__name__}({results[1]})")


asyncio.run(main())
