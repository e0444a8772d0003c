import asyncio


async def ticker(n):
    for i in range(n):
        print(f"tick {i}")
        await asyncio.sleep(0)


async def main():
    loop = asyncio.get_running_loop()
    a, b = loop.create_future(), loop.create_future()
    t = asyncio.create_task(ticker(6))
    await asyncio.sleep(0)
    a.set_result(1)
    b.set_result(2)
    print("futures set")
    print(f"gather -> {await asyncio.gather(a, b)}")
    await t


asyncio.run(main())
