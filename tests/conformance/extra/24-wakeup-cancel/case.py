# A task cancelled after the future it awaits resolved and before it
# resumed (Task.__step's _must_cancel): the task resumes with
# CancelledError and the result is lost to it. case.cc gets the same
# cancel from the simulator's wake-up injection instead of cancel() calls.
import asyncio


async def await_reply(reply):
    try:
        v = await reply
        print(f"waiter: got {v}")
    except asyncio.CancelledError:
        print("waiter: cancelled")
        raise


async def get_one(q):
    try:
        item = await q.get()
        print(f"getter: got {item}")
    except asyncio.CancelledError:
        print("getter: cancelled")
        raise


async def main():
    loop = asyncio.get_running_loop()
    reply = loop.create_future()
    waiter = asyncio.create_task(await_reply(reply), name="waiter")
    await asyncio.sleep(0.001)
    reply.set_result(42)
    waiter.cancel()
    try:
        await waiter
        print("main: waiter done")
    except asyncio.CancelledError:
        print("main: waiter ended cancelled")
    print(f"main: waiter cancelling={waiter.cancelling()} reply={reply.result()}")

    q = asyncio.Queue()
    getter = asyncio.create_task(get_one(q), name="getter")
    await asyncio.sleep(0.001)
    q.put_nowait("item")
    getter.cancel()
    try:
        await getter
        print("main: getter done")
    except asyncio.CancelledError:
        print("main: getter ended cancelled")
    print(f"main: queue size={q.qsize()} item={q.get_nowait()}")


asyncio.run(main())
