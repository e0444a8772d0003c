# Behaviours from CPython's Lib/test/test_asyncio/test_locks.py, each line
# naming the test it comes from; written anew, not copied.
import asyncio


async def main():
    # LockTests.test_acquire: waiters get the lock in the order they asked.
    lock = asyncio.Lock()
    order = []

    async def taker(n):
        await lock.acquire()
        order.append(n)
        await asyncio.sleep(0.01)
        lock.release()

    await lock.acquire()
    tasks = [asyncio.create_task(taker(n)) for n in (1, 2, 3)]
    await asyncio.sleep(0)
    lock.release()
    await asyncio.gather(*tasks)
    print(f"lock acquire: order {order}, locked={lock.locked()}")

    # LockTests.test_acquire_cancel: a cancelled acquire never holds the lock.
    await lock.acquire()
    waiter = asyncio.create_task(lock.acquire())
    await asyncio.sleep(0)
    waiter.cancel()
    try:
        await waiter
    except asyncio.CancelledError:
        pass
    lock.release()
    print(f"lock acquire_cancel: locked={lock.locked()}")

    # LockTests.test_release_not_acquired.
    try:
        lock.release()
    except RuntimeError as e:
        print(f"lock release_not_acquired: RuntimeError '{e}'")

    # LockTests.test_context_manager: async with takes and gives back the lock.
    async with lock:
        inside = lock.locked()
    print(f"lock context_manager: inside={inside} after={lock.locked()}")

    # EventTests.test_wait_cancel: a cancelled waiter leaves; set() still wakes the rest.
    ev = asyncio.Event()
    stays = asyncio.create_task(ev.wait())
    leaves = asyncio.create_task(ev.wait())
    await asyncio.sleep(0)
    leaves.cancel()
    await asyncio.sleep(0)
    ev.set()
    print(f"event wait_cancel: stays={await stays} leaves cancelled={leaves.cancelled()}")

    # EventTests.test_clear_with_waiters: a waiter woken by set() returns even if cleared.
    ev = asyncio.Event()
    woken = asyncio.create_task(ev.wait())
    await asyncio.sleep(0)
    ev.set()
    ev.clear()
    print(f"event clear_with_waiters: woken={await woken} is_set={ev.is_set()}")

    # ConditionTests.test_notify: notify(n) wakes n waiters, first come first served.
    cond = asyncio.Condition()
    woke = []

    async def cond_waiter(n):
        async with cond:
            await cond.wait()
            woke.append(n)

    waiters = [asyncio.create_task(cond_waiter(n)) for n in (1, 2, 3)]
    await asyncio.sleep(0)
    async with cond:
        cond.notify(1)
    await asyncio.sleep(0)
    print(f"condition notify(1): {woke}")
    async with cond:
        cond.notify(2048)
    await asyncio.gather(*waiters)
    print(f"condition notify(2048): {woke}")

    # ConditionTests.test_notify_unacquired / test_wait_unacquired.
    try:
        cond.notify()
    except RuntimeError as e:
        print(f"condition notify_unacquired: RuntimeError '{e}'")
    try:
        await cond.wait()
    except RuntimeError as e:
        print(f"condition wait_unacquired: RuntimeError '{e}'")

    # ConditionTests.test_wait_cancel: a cancelled wait re-acquires the lock before raising.
    async def cancelled_wait():
        async with cond:
            try:
                await cond.wait()
            except asyncio.CancelledError:
                print(f"condition wait_cancel: lock held on the way out={cond.locked()}")
                raise

    t = asyncio.create_task(cancelled_wait())
    await asyncio.sleep(0)
    t.cancel()
    try:
        await t
    except asyncio.CancelledError:
        print(f"condition wait_cancel: locked after={cond.locked()}")

    # ConditionTests.test_explicit_lock: a Condition over a given Lock shares it.
    shared = asyncio.Lock()
    over = asyncio.Condition(shared)
    async with over:
        print(f"condition explicit_lock: lock locked={shared.locked()}")

    # SemaphoreTests.test_initial_value_zero / test_acquire: permits, then waiting.
    sem = asyncio.Semaphore(0)
    print(f"semaphore initial zero: locked={sem.locked()}")
    got = []

    async def permit(n):
        await sem.acquire()
        got.append(n)

    takers = [asyncio.create_task(permit(n)) for n in (1, 2, 3)]
    await asyncio.sleep(0)
    sem.release()
    sem.release()
    await asyncio.sleep(0)
    await asyncio.sleep(0)
    print(f"semaphore acquire: got {got}")
    sem.release()
    await asyncio.gather(*takers)

    # SemaphoreTests.test_release_not_acquired: a BoundedSemaphore refuses an extra release.
    bounded = asyncio.BoundedSemaphore(1)
    try:
        bounded.release()
    except ValueError as e:
        print(f"bounded semaphore release_not_acquired: ValueError '{e}'")

    # SemaphoreTests.test_initial_value_negative.
    try:
        asyncio.Semaphore(-1)
    except ValueError:
        print("semaphore initial_value_negative: ValueError")


asyncio.run(main())
