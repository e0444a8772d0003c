# Behaviours from CPython's Lib/test/test_asyncio/test_waitfor.py, each line
# naming the test it comes from; written anew, not copied.
import asyncio

start = 0.0


def ms():
    return round((asyncio.get_running_loop().time() - start) * 1000)


async def main():
    global start
    loop = asyncio.get_running_loop()

    # test_wait_for_timeout_less_then_0_or_0_future_done: a done future needs no time.
    fut = loop.create_future()
    fut.set_result("done")
    start = loop.time()
    print(f"timeout 0, future done: {await asyncio.wait_for(fut, 0)!r} after {ms()} ms")

    # test_wait_for_timeout_less_then_0_or_0_coroutine_do_not_started.
    started = False

    async def foo():
        nonlocal started
        started = True

    try:
        await asyncio.wait_for(foo(), 0)
    except TimeoutError:
        print(f"timeout 0, coroutine: TimeoutError, started={started}")

    # test_wait_for_timeout_less_then_0_or_0: a running task is cancelled and waited for.
    for timeout in (0, -1):
        running = None
        began = loop.create_future()

        async def work():
            nonlocal running
            running = True
            began.set_result(None)
            try:
                await asyncio.sleep(10)
            finally:
                running = False
            return "done"

        task = asyncio.create_task(work())
        await began
        start = loop.time()
        try:
            await asyncio.wait_for(task, timeout)
        except TimeoutError:
            print(f"timeout {timeout}, running task: TimeoutError after {ms()} ms, "
                  f"cancelled={task.cancelled()} running={running}")

    # test_wait_for: the task is cancelled at the timeout.
    task = asyncio.create_task(asyncio.sleep(10, "late"))
    start = loop.time()
    try:
        await asyncio.wait_for(task, 0.1)
    except TimeoutError:
        print(f"wait_for: TimeoutError after {ms()} ms, task cancelled={task.cancelled()}")

    # test_wait_for_blocking: timeout=None just awaits.
    async def coro():
        return "done"

    print(f"wait_for_blocking: {await asyncio.wait_for(coro(), timeout=None)!r}")

    # test_wait_for_race_condition: a future set before the deadline wins.
    fut = loop.create_future()
    loop.call_later(0.1, fut.set_result, "ok")
    print(f"wait_for_race_condition: {await asyncio.wait_for(fut, timeout=0.2)!r}")

    # test_wait_for_cancellation_race_condition / test_wait_for_cancel_suppressed:
    # an inner coroutine that swallows the timeout's cancel returns its value.
    async def swallow():
        try:
            await asyncio.sleep(10)
        except asyncio.CancelledError:
            return 42

    print(f"wait_for_cancel_suppressed: {await asyncio.wait_for(swallow(), timeout=0.1)}")

    # test_wait_for_waits_for_task_cancellation: TimeoutError only after the task finished.
    task_done = False

    async def slow_to_cancel():
        nonlocal task_done
        try:
            await asyncio.sleep(10)
        except asyncio.CancelledError:
            await asyncio.sleep(0.05)
            raise
        finally:
            task_done = True

    inner = asyncio.create_task(slow_to_cancel())
    start = loop.time()
    try:
        await asyncio.wait_for(inner, timeout=0.01)
    except TimeoutError:
        print(f"wait_for_waits_for_task_cancellation: after {ms()} ms, task done={task_done}")

    # test_wait_for_reraises_exception_during_cancellation.
    class FooException(Exception):
        pass

    async def raise_on_cancel():
        try:
            await asyncio.sleep(0.2)
        finally:
            raise FooException

    try:
        await asyncio.wait_for(asyncio.create_task(raise_on_cancel()), timeout=0.01)
    except FooException:
        print("wait_for_reraises_exception_during_cancellation: FooException")

    # test_cancel_wait_for: cancelling the wait_for cancels the inner task too.
    for timeout in (None, 60.0):
        async def blocking():
            await loop.create_future()

        task = asyncio.create_task(blocking())
        waiter = asyncio.create_task(asyncio.wait_for(task, timeout))
        loop.call_soon(waiter.cancel)
        try:
            await waiter
        except asyncio.CancelledError:
            print(f"cancel_wait_for (timeout {timeout}): inner task cancelled={task.cancelled()}")


asyncio.run(main())
