import asyncio
import concurrent.futures


def say(text):
    print(text)


async def add_later(a, b):
    print(f"add_later({a}, {b}) starts")
    try:
        await asyncio.sleep(0.005)
    except asyncio.CancelledError:
        print(f"add_later({a}, {b}) cancelled")
        raise
    return a + b


async def main():
    loop = asyncio.get_running_loop()
    loop.call_soon(say, "call_soon 1")
    loop.call_soon_threadsafe(say, "call_soon_threadsafe 1")
    loop.call_soon(say, "call_soon 2")
    loop.call_soon_threadsafe(say, "call_soon_threadsafe 2")
    print("posted")
    await asyncio.sleep(0)
    print("after one iteration")

    fut = asyncio.run_coroutine_threadsafe(add_later(20, 22), loop)
    print(f"right after run_coroutine_threadsafe: done={fut.done()}")
    await asyncio.sleep(0)
    print(f"one iteration later: done={fut.done()}")
    await asyncio.sleep(0.01)
    print(f"10 ms later: done={fut.done()} result={fut.result()}")

    doomed = asyncio.run_coroutine_threadsafe(add_later(1, 2), loop)
    await asyncio.sleep(0.001)
    print(f"cancel: {doomed.cancel()} cancelled={doomed.cancelled()}")
    await asyncio.sleep(0.01)
    try:
        doomed.result()
    except concurrent.futures.CancelledError:
        print("result() raised CancelledError")


asyncio.run(main())
