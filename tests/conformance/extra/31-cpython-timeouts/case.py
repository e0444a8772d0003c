# Behaviours from CPython's Lib/test/test_asyncio/test_timeouts.py, each
# line naming the test it comes from; written anew, not copied.
import asyncio


async def main():
    loop = asyncio.get_running_loop()

    # test_timeout_basic: the body is cancelled at the deadline; TimeoutError leaves.
    try:
        async with asyncio.timeout(0.01) as cm:
            await asyncio.sleep(10)
    except TimeoutError:
        print(f"timeout_basic: TimeoutError, expired={cm.expired()}")

    # test_timeout_at_basic: when() is the deadline given.
    deadline = loop.time() + 0.01
    try:
        async with asyncio.timeout_at(deadline) as cm:
            await asyncio.sleep(10)
    except TimeoutError:
        print(f"timeout_at_basic: TimeoutError, when is deadline={cm.when() == deadline}")

    # test_nested_timeouts: two scopes, one deadline: the inner sees CancelledError,
    # only the outer raises TimeoutError.
    inner_saw = None
    deadline = loop.time() + 0.01
    try:
        async with asyncio.timeout_at(deadline) as cm1:
            try:
                async with asyncio.timeout_at(deadline) as cm2:
                    await asyncio.sleep(10)
            except asyncio.CancelledError:
                inner_saw = "CancelledError"
                raise
    except TimeoutError:
        print(f"nested_timeouts: inner saw {inner_saw}, outer raised TimeoutError, "
              f"expired {cm1.expired()} {cm2.expired()}")

    # test_timeout_not_called: a body that ends in time leaves the scope unexpired.
    async with asyncio.timeout(10) as cm:
        await asyncio.sleep(0.01)
    print(f"timeout_not_called: expired={cm.expired()} when in the future={cm.when() > loop.time()}")

    # test_timeout_disabled: timeout(None) never expires.
    async with asyncio.timeout(None) as cm:
        await asyncio.sleep(0.01)
    print(f"timeout_disabled: expired={cm.expired()} when={cm.when()}")

    # test_timeout_zero, test_timeout_zero_sleep_zero, test_timeout_in_the_past_sleep_zero.
    for label, delay, sleep in (("timeout_zero", 0, 10), ("timeout_zero_sleep_zero", 0, 0),
                                ("timeout_in_the_past_sleep_zero", -11, 0)):
        try:
            async with asyncio.timeout(delay) as cm:
                await asyncio.sleep(sleep)
            print(f"{label}: no timeout")
        except TimeoutError:
            print(f"{label}: TimeoutError, expired={cm.expired()}")

    # test_foreign_exception_passed: another error passes through untouched.
    try:
        async with asyncio.timeout(0.01) as cm:
            raise KeyError("k")
    except KeyError:
        print(f"foreign_exception_passed: KeyError, expired={cm.expired()}")

    # test_foreign_cancel_doesnt_timeout_if_not_expired.
    async def self_cancel():
        async with asyncio.timeout(10) as cm:
            asyncio.current_task().cancel()
            try:
                await asyncio.sleep(10)
            finally:
                print(f"foreign_cancel_doesnt_timeout_if_not_expired: expired={cm.expired()}")

    try:
        await asyncio.create_task(self_cancel())
    except asyncio.CancelledError:
        print("foreign_cancel_doesnt_timeout_if_not_expired: CancelledError")

    # test_outer_task_is_not_cancelled: a task whose scope timed out ends normally.
    async def outer():
        try:
            async with asyncio.timeout(0.001):
                await asyncio.sleep(10)
        except TimeoutError:
            return "timed out inside"

    task = asyncio.create_task(outer())
    print(f"outer_task_is_not_cancelled: {await task!r} cancelled={task.cancelled()}")

    # test_nested_timeout_in_finally: a scope inside cleanup code times out on its own.
    try:
        async with asyncio.timeout(0.01):
            try:
                await asyncio.sleep(1)
            finally:
                try:
                    async with asyncio.timeout(0.01):
                        await asyncio.sleep(10)
                except TimeoutError:
                    print("nested_timeout_in_finally: inner TimeoutError")
    except TimeoutError:
        print("nested_timeout_in_finally: outer TimeoutError")

    # test_timeout_after_cancellation: a swallowed cancel does not stop a later timeout.
    async def cleanup_after_cancel():
        try:
            asyncio.current_task().cancel()
            await asyncio.sleep(1)
        except asyncio.CancelledError:
            pass
        finally:
            try:
                async with asyncio.timeout(0.0):
                    await asyncio.sleep(1)
            except TimeoutError:
                print("timeout_after_cancellation: TimeoutError in cleanup")

    await asyncio.create_task(cleanup_after_cancel())

    # test_cancel_in_timeout_after_cancellation: a new cancel inside that scope stays a cancel.
    async def cancel_in_cleanup():
        try:
            asyncio.current_task().cancel()
            await asyncio.sleep(1)
        except asyncio.CancelledError:
            pass
        finally:
            try:
                async with asyncio.timeout(1.0):
                    asyncio.current_task().cancel()
                    await asyncio.sleep(2)
            except asyncio.CancelledError:
                print("cancel_in_timeout_after_cancellation: CancelledError in cleanup")
                raise

    try:
        await asyncio.create_task(cancel_in_cleanup())
    except asyncio.CancelledError:
        print("cancel_in_timeout_after_cancellation: the task ended cancelled")


asyncio.run(main())
