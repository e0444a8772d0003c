# Behaviours from CPython's Lib/test/test_asyncio/test_taskgroups.py, each
# line naming the test it comes from; written anew, not copied.
import asyncio


class MyExc(Exception):
    pass


class ZeroDivision(Exception):
    pass


start = 0.0


def ms():
    return round((asyncio.get_running_loop().time() - start) * 1000)


def types(eg):
    return "[" + ", ".join(type(e).__name__ for e in eg.exceptions) + "]"


async def value_after(delay, value):
    await asyncio.sleep(delay)
    return value


async def crash_after(delay):
    await asyncio.sleep(delay)
    raise ZeroDivision()


async def main():
    global start
    start = asyncio.get_running_loop().time()

    # test_taskgroup_01: the group waits for every child; results stay on the handles.
    async with asyncio.TaskGroup() as g:
        t1 = g.create_task(value_after(0.1, 42))
        t2 = g.create_task(value_after(0.2, 11))
    print(f"taskgroup_01: {t1.result()} {t2.result()} at {ms()} ms")

    # test_taskgroup_02: a child created later, after the body slept, is waited for too.
    start = asyncio.get_running_loop().time()
    async with asyncio.TaskGroup() as g:
        t1 = g.create_task(value_after(0.1, 42))
        await asyncio.sleep(0.15)
        t2 = g.create_task(value_after(0.2, 11))
    print(f"taskgroup_02: {t1.result()} {t2.result()} at {ms()} ms")

    # test_taskgroup_03: cancelling one child by hand does not abort the group.
    async with asyncio.TaskGroup() as g:
        t1 = g.create_task(value_after(1, 42))
        await asyncio.sleep(0.15)
        t1.cancel()
        t2 = g.create_task(value_after(0.2, 11))
    print(f"taskgroup_03: t1 cancelled={t1.cancelled()} t2={t2.result()}")

    # test_taskgroup_04: a failing child cancels its sibling; code after the group never runs.
    sibling_cancelled = False
    after_group = False

    async def sibling():
        nonlocal sibling_cancelled
        try:
            await asyncio.sleep(1)
        except asyncio.CancelledError:
            sibling_cancelled = True
            raise

    async def runner_04():
        nonlocal after_group
        async with asyncio.TaskGroup() as g:
            g.create_task(crash_after(0.1))
            g.create_task(sibling())
        after_group = True

    try:
        await asyncio.create_task(runner_04())
    except ExceptionGroup as eg:
        print(f"taskgroup_04: {types(eg)} sibling cancelled={sibling_cancelled} after group ran={after_group}")

    # test_cancellation: cancelling the parent cancels all five children, message kept.
    cancelled_children = 0

    async def sleepy():
        nonlocal cancelled_children
        try:
            await asyncio.sleep(5)
        except asyncio.CancelledError:
            cancelled_children += 1
            raise

    async def runner_cancel():
        async with asyncio.TaskGroup() as g:
            for _ in range(5):
                g.create_task(sleepy())

    r = asyncio.create_task(runner_cancel())
    await asyncio.sleep(0.1)
    r.cancel("test")
    try:
        await r
    except asyncio.CancelledError as e:
        print(f"cancellation: CancelledError '{e}', {cancelled_children} children cancelled")

    # test_taskgroup_10: an error in the body cancels the children.
    try:
        async with asyncio.TaskGroup() as g:
            t1 = g.create_task(value_after(1, 42))
            t2 = g.create_task(value_after(2, 11))
            raise ZeroDivision()
    except ExceptionGroup as eg:
        print(f"taskgroup_10: {types(eg)} t1 cancelled={t1.cancelled()} t2 cancelled={t2.cancelled()}")

    # test_taskgroup_14: an inner group's failure reaches the outer group as a nested group.
    async def runner_14():
        async with asyncio.TaskGroup() as g1:
            g1.create_task(value_after(10, 0))
            async with asyncio.TaskGroup() as g2:
                g2.create_task(crash_after(0.1))

    try:
        await asyncio.create_task(runner_14())
    except ExceptionGroup as eg:
        print(f"taskgroup_14: {types(eg)} inside {types(eg.exceptions[0])}")

    # test_taskgroup_18: a body that turns its cancellation into an error ends in a group.
    async def runner_18():
        async with asyncio.TaskGroup():
            try:
                await asyncio.sleep(10)
            except asyncio.CancelledError:
                raise MyExc()

    r = asyncio.create_task(runner_18())
    await asyncio.sleep(0.1)
    r.cancel()
    try:
        await r
    except ExceptionGroup as eg:
        print(f"taskgroup_18: {types(eg)}")

    # test_taskgroup_19: the child's error comes first, the body's (from its finally) last.
    async def nested():
        try:
            await asyncio.sleep(10)
        finally:
            raise MyExc()

    async def runner_19():
        async with asyncio.TaskGroup() as g:
            g.create_task(crash_after(0.1))
            await nested()

    try:
        await asyncio.create_task(runner_19())
    except ExceptionGroup as eg:
        print(f"taskgroup_19: {types(eg)}")

    # test_taskgroup_25: children that spawn children; one failure still ends the lot.
    hydras = 0

    async def hydra(g):
        nonlocal hydras
        hydras += 1
        await asyncio.sleep(0.01)
        g.create_task(hydra(g))
        g.create_task(hydra(g))

    async def hercules():
        while hydras < 10:
            await asyncio.sleep(0.015)
        raise ZeroDivision()

    try:
        async with asyncio.TaskGroup() as g:
            g.create_task(hydra(g))
            g.create_task(hercules())
    except ExceptionGroup as eg:
        print(f"taskgroup_25: {types(eg)} hydras={hydras}")

    # test_taskgroup_task_name: create_task keeps the name it is given.
    async with asyncio.TaskGroup() as g:
        t = g.create_task(asyncio.sleep(0), name="yolo")
        print(f"taskgroup_task_name: {t.get_name()}")


asyncio.run(main())
