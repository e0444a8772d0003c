import asyncio


async def worker(name, delay, fail=False):
    try:
        await asyncio.sleep(delay)
    except asyncio.CancelledError:
        print(f"{name}: cancelled")
        raise
    if fail:
        print(f"{name}: raising")
        raise ValueError(name)
    print(f"{name}: done")
    return name


async def main():
    try:
        await asyncio.gather(worker("a", 0.01), worker("b", 0.02, fail=True), worker("c", 0.04))
    except ValueError as e:
        print(f"main: gather raised ValueError({e})")
    await asyncio.sleep(0.03)

    results = await asyncio.gather(worker("d", 0.01, fail=True), worker("e", 0.02), return_exceptions=True)
    print("main: settled " + ", ".join(r if isinstance(r, str) else f"{type(r).__name__}({r})" for r in results))

    async def run_gather():
        return await asyncio.gather(worker("f", 0.05), worker("g", 0.01), worker("h", 0.05))

    g = asyncio.create_task(run_gather())
    await asyncio.sleep(0.02)
    g.cancel()
    try:
        await g
    except asyncio.CancelledError:
        print("main: gather cancelled")

    async def run_settled():
        return await asyncio.gather(worker("i", 0.05), worker("j", 0.05), return_exceptions=True)

    s = asyncio.create_task(run_settled())
    await asyncio.sleep(0.01)
    s.cancel()
    try:
        await s
    except asyncio.CancelledError:
        print("main: settled gather cancelled too")

    print(f"main: empty gather -> {await asyncio.gather()}")


asyncio.run(main())
