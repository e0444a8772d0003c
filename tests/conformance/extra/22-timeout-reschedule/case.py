import asyncio

start = 0.0


def ms():
    return int(round((asyncio.get_running_loop().time() - start) * 1000, -1))


async def main():
    global start
    loop = asyncio.get_running_loop()

    start = loop.time()
    try:
        async with asyncio.timeout(None) as t:
            print(f"no deadline: when is None={t.when() is None}, expired={t.expired()}")
            await asyncio.sleep(0.01)
            t.reschedule(loop.time() + 0.02)
            await asyncio.sleep(1)
    except TimeoutError:
        print(f"timed out at {ms()}")

    start = loop.time()
    async with asyncio.timeout(0.02) as t:
        await asyncio.sleep(0.01)
        t.reschedule(t.when() + 0.03)
        await asyncio.sleep(0.03)
    print(f"extended body finished at {ms()}")

    start = loop.time()
    async with asyncio.timeout(0.01) as t:
        t.reschedule(None)
        await asyncio.sleep(0.03)
        print(f"unbounded body finished at {ms()}, when is None={t.when() is None}")

    try:
        async with asyncio.timeout(10) as t:
            t.reschedule(loop.time() - 1)
            print("rescheduled into the past")
            await asyncio.sleep(0)
            print("not reached")
    except TimeoutError:
        print("expired on the next iteration")

    start = loop.time()
    try:
        async with asyncio.timeout(0.01) as t:
            try:
                await asyncio.sleep(1)
            except asyncio.CancelledError:
                print(f"body cancelled at {ms()}, expired={t.expired()}")
                try:
                    t.reschedule(None)
                except RuntimeError as e:
                    print(f"RuntimeError: {e}")
                raise
    except TimeoutError:
        print("the late reschedule changed nothing: TimeoutError")


asyncio.run(main())
