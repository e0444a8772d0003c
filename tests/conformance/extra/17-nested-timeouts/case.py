import asyncio


async def inner_expires_first():
    try:
        async with asyncio.timeout(0.01):
            await asyncio.sleep(1)
    except TimeoutError:
        print(f"inner timed out at {ms()}")
    await asyncio.sleep(1)


async def outer_expires_first():
    try:
        async with asyncio.timeout(0.05):
            await asyncio.sleep(1)
    except TimeoutError:
        print("inner reported the timeout (wrong)")
    except asyncio.CancelledError:
        print(f"inner saw CancelledError at {ms()}")
        raise


async def guarded_body():
    try:
        async with asyncio.timeout(1):
            await asyncio.sleep(1)
    except TimeoutError:
        print("body: TimeoutError (wrong)")
    except asyncio.CancelledError:
        print(f"body: CancelledError at {ms()}")
        raise


async def expired_on_entry():
    async with asyncio.timeout(-1):
        print("expired scope: body starts")
        await asyncio.sleep(0)
        print("expired scope: not reached")


async def swallow_then_finish():
    async with asyncio.timeout(0.01):
        try:
            await asyncio.sleep(1)
        except asyncio.CancelledError:
            print(f"swallower: caught the cancel at {ms()}")
    return "finished normally"


def ms():
    return int(round((asyncio.get_running_loop().time() - start) * 1000, -1))


async def main():
    global start
    start = asyncio.get_running_loop().time()
    try:
        async with asyncio.timeout(0.05):
            await inner_expires_first()
    except TimeoutError:
        print(f"outer timed out at {ms()}")

    start = asyncio.get_running_loop().time()
    try:
        async with asyncio.timeout(0.01):
            await outer_expires_first()
    except TimeoutError:
        print(f"outer timed out first at {ms()}")

    start = asyncio.get_running_loop().time()
    t = asyncio.create_task(guarded_body())
    await asyncio.sleep(0.01)
    t.cancel()
    try:
        await t
    except asyncio.CancelledError:
        print(f"main: body cancelled, cancelling={t.cancelling()}")

    try:
        await expired_on_entry()
    except TimeoutError:
        print("expired scope: TimeoutError")

    start = asyncio.get_running_loop().time()
    print(f"swallower: {await swallow_then_finish()}")


asyncio.run(main())
