# Behaviours from CPython's Lib/test/test_asyncio/test_tasks.py (cancel
# family), each line naming the test it comes from; written anew.
import asyncio


async def main():
    loop = asyncio.get_running_loop()

    # test_cancel: a sleeping task cancelled from a callback ends cancelled; cancel() again is False.
    async def sleeper():
        await asyncio.sleep(10)
        return 12

    t = asyncio.create_task(sleeper())
    loop.call_soon(t.cancel)
    try:
        await t
    except asyncio.CancelledError:
        print(f"cancel: done={t.done()} cancelled={t.cancelled()} cancel again={t.cancel()}")

    # test_cancel_with_message_before_starting_task: the body never runs; the message is kept.
    ran = False

    async def never_runs():
        nonlocal ran
        ran = True

    t = asyncio.create_task(never_runs())
    t.cancel("my message")
    done, pending = await asyncio.wait([t])
    try:
        t.exception()
    except asyncio.CancelledError as e:
        print(f"cancel_with_message_before_starting_task: ran={ran} message '{e}'")

    # test_cancel_inner_future: cancelling the future a task awaits cancels the task.
    f = loop.create_future()

    async def await_f():
        await f
        return 12

    t = asyncio.create_task(await_f())
    await asyncio.sleep(0)
    f.cancel()
    try:
        await t
    except asyncio.CancelledError:
        print(f"cancel_inner_future: future cancelled={f.cancelled()} task cancelled={t.cancelled()}")

    # test_cancel_both_task_and_inner_future.
    f = loop.create_future()
    t = asyncio.create_task(await_f())
    await asyncio.sleep(0)
    f.cancel()
    t.cancel()
    try:
        await t
    except asyncio.CancelledError:
        print(f"cancel_both_task_and_inner_future: {t.done()} {f.cancelled()} {t.cancelled()}")

    # test_cancel_task_catching: a task that catches the cancel returns its value.
    fut1, fut2 = loop.create_future(), loop.create_future()

    async def catching():
        await fut1
        try:
            await fut2
        except asyncio.CancelledError:
            return 42

    t = asyncio.create_task(catching())
    await asyncio.sleep(0)
    fut1.set_result(None)
    await asyncio.sleep(0)
    await asyncio.sleep(0)
    t.cancel()
    print(f"cancel_task_catching: inner future cancelled={fut2.cancelled()} "
          f"result={await t} cancelled={t.cancelled()}")

    # test_cancel_task_ignoring: a task that ignores the cancel goes on to its next await.
    fut1, fut2, fut3 = loop.create_future(), loop.create_future(), loop.create_future()

    async def ignoring():
        await fut1
        try:
            await fut2
        except asyncio.CancelledError:
            pass
        return await fut3

    t = asyncio.create_task(ignoring())
    await asyncio.sleep(0)
    fut1.set_result(None)
    await asyncio.sleep(0)
    await asyncio.sleep(0)
    t.cancel()
    await asyncio.sleep(0)
    await asyncio.sleep(0)
    fut3.set_result(42)
    print(f"cancel_task_ignoring: result={await t} fut3 cancelled={fut3.cancelled()} "
          f"cancelled={t.cancelled()}")

    # test_cancel_current_task: a task that cancels itself is cancelled at its next await.
    reached = False

    async def self_cancelling():
        nonlocal reached
        asyncio.current_task().cancel()
        await asyncio.sleep(100)
        reached = True

    t = asyncio.create_task(self_cancelling())
    try:
        await t
    except asyncio.CancelledError:
        print(f"cancel_current_task: cancelled={t.cancelled()} reached after await={reached} "
              f"cancel again={t.cancel()}")

    # test_cancel_at_end: cancelling itself right before returning still ends cancelled.
    async def cancel_then_return():
        asyncio.current_task().cancel()
        return 12

    t = asyncio.create_task(cancel_then_return())
    try:
        await t
    except asyncio.CancelledError:
        print(f"cancel_at_end: cancelled={t.cancelled()}")

    # test_cancel_awaited_task: a pending cancel goes on to the task it awaits next.
    fut = loop.create_future()
    nested_task = None

    async def nested():
        await fut

    async def coro():
        nonlocal nested_task
        nested_task = asyncio.create_task(nested())
        await asyncio.sleep(0)
        asyncio.current_task().cancel()
        await nested_task

    t = asyncio.create_task(coro())
    try:
        await t
    except asyncio.CancelledError:
        print(f"cancel_awaited_task: {t.cancelled()} {nested_task.cancelled()} {fut.cancelled()}")

    # test_cancelling / test_uncancel_basic (3.11): cancel requests are counted.
    t = asyncio.create_task(sleeper())
    await asyncio.sleep(0)
    t.cancel()
    t.cancel()
    print(f"cancelling: {t.cancelling()} after uncancel: {t.uncancel()}")
    try:
        await t
    except asyncio.CancelledError:
        print(f"cancelling: still ends cancelled={t.cancelled()}")


asyncio.run(main())
