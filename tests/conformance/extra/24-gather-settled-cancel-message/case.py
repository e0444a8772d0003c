import asyncio

async def child(name, delay, swallow=False):
    try:
        await asyncio.sleep(delay)
    except asyncio.CancelledError as e:
        print(f"{name}: cancelled, message '{e}'")
        if not swallow:
            raise
        await asyncio.sleep(0.01)
        print(f"{name}: swallowed the cancel, returns")
    return name

async def main():
    async def settled(*children):
        return await asyncio.gather(*children, return_exceptions=True)
    t = asyncio.create_task(settled(child("a", 1), child("b", 1)))
    await asyncio.sleep(0.01)
    t.cancel("stop now")
    try:
        await t
    except asyncio.CancelledError as e:
        print(f"main: settled gather cancelled, message '{e}'")
    t = asyncio.create_task(settled(child("c", 1), child("d", 1, swallow=True)))
    await asyncio.sleep(0.01)
    t.cancel("second")
    try:
        await t
    except asyncio.CancelledError as e:
        print(f"main: cancelled, message '{e}'")
    t = asyncio.create_task(settled(child("e", 1, swallow=True), child("f", 1)))
    await asyncio.sleep(0.01)
    t.cancel("third")
    try:
        r = await t
        print(r)
    except asyncio.CancelledError as e:
        print(f"main: cancelled, message '{e}'")

asyncio.run(main())
