import asyncio

start = 0.0


def ms():
    return int(round((asyncio.get_running_loop().time() - start) * 1000))


async def worker(name):
    for i in range(3):
        print(f"{name} step {i}")
        await asyncio.sleep(0)


async def main():
    global start
    loop = asyncio.get_running_loop()
    start = loop.time()
    task = asyncio.create_task(worker("task"))
    loop.call_soon(print, "soon 1")
    cancelled = loop.call_soon(print, "never printed")
    loop.call_soon(print, "soon 2")
    cancelled.cancel()
    print(f"cancelled={cancelled.cancelled()}")
    await task

    done = asyncio.Event()
    loop.call_later(0.02, lambda: print(f"later 20 at {ms()}"))
    loop.call_later(0.01, lambda: print(f"later 10 at {ms()}"))
    timer = loop.call_at(loop.time() + 0.03, lambda: print("never printed"))
    print(f"timer when is {round((timer.when() - start) * 1000)} ms after start")
    loop.call_later(0.04, done.set)
    timer.cancel()
    loop.call_later(0, lambda: print(f"later 0 at {ms()}"))
    loop.call_later(-1, lambda: print(f"later -1 at {ms()}"))
    await done.wait()
    print(f"woken at {ms()}, timer cancelled={timer.cancelled()}")

    loop.call_soon(lambda: loop.call_soon(print, "nested soon"))
    loop.call_soon(print, "outer soon")
    await asyncio.sleep(0)
    print("after one iteration")
    await asyncio.sleep(0)
    print("after two iterations")


asyncio.run(main())
