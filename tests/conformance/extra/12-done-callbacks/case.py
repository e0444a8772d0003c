import asyncio

log = []


async def spinner(name, n):
    for i in range(n):
        log.append(f"{name} spin {i}")
        await asyncio.sleep(0)


async def work(name, n, fail=False):
    for _ in range(n):
        await asyncio.sleep(0)
    log.append(f"{name} {'raises' if fail else 'returns'}")
    if fail:
        raise ValueError(name)
    return name


async def awaiter(name, fut):
    try:
        value = await fut
    except asyncio.CancelledError as e:
        log.append(f"{name} got CancelledError({str(e)!r})")
        raise
    except ValueError as e:
        log.append(f"{name} got ValueError({str(e)!r})")
        return
    log.append(f"{name} got {value!r}")


def cb(label):
    def f(fut):
        if fut.cancelled():
            state = "cancelled"
        elif fut.exception() is not None:
            state = f"exception {fut.exception()!r}"
        else:
            state = f"result {fut.result()!r}"
        log.append(f"cb {label}: {state}")
    return f


async def task_part():
    sp = asyncio.create_task(spinner("s", 8))
    t = asyncio.create_task(work("t", 1))
    t.add_done_callback(cb("t1"))
    w = asyncio.create_task(awaiter("w", t))
    await asyncio.sleep(0)
    t.add_done_callback(cb("t2"))
    r1 = cb("r1")
    t.add_done_callback(r1)
    t.add_done_callback(cb("t3"))
    log.append(f"remove r1 -> {t.remove_done_callback(r1)}")
    log.append(f"remove r1 again -> {t.remove_done_callback(r1)}")
    try:
        t.result()
    except asyncio.InvalidStateError:
        log.append("result of pending task: InvalidStateError")
    log.append(f"main awaits t -> {await t!r}")
    t.add_done_callback(cb("late"))
    log.append("main added late callback")
    await asyncio.sleep(0)
    log.append("main after one yield")
    await w

    chain = asyncio.get_running_loop().create_future()
    u = asyncio.create_task(work("u", 0, fail=True))
    u.add_done_callback(cb("u1"))
    u.add_done_callback(lambda _: chain.set_result("from callback"))
    u.add_done_callback(cb("u2"))
    cw = asyncio.create_task(awaiter("cw", chain))
    v = asyncio.create_task(work("v", 3))
    v.add_done_callback(cb("v1"))
    await asyncio.sleep(0)
    v.cancel()
    log.append("main cancelled v")
    await cw
    try:
        await v
    except asyncio.CancelledError:
        log.append(f"v cancelled={v.cancelled()}")
    log.append(f"u exception {u.exception()!r}")
    await sp


async def future_part():
    loop = asyncio.get_running_loop()
    sp = asyncio.create_task(spinner("f", 6))
    f = loop.create_future()
    f.add_done_callback(cb("f1"))
    fa = asyncio.create_task(awaiter("fa", f))
    fb = asyncio.create_task(awaiter("fb", f))
    try:
        f.result()
    except asyncio.InvalidStateError:
        log.append("result of pending future: InvalidStateError")
    try:
        f.exception()
    except asyncio.InvalidStateError:
        log.append("exception of pending future: InvalidStateError")
    await asyncio.sleep(0)
    f.add_done_callback(cb("f2"))
    f.set_result(42)
    log.append(f"main set_result 42, done={f.done()}")
    try:
        f.set_result(43)
    except asyncio.InvalidStateError:
        log.append("set_result twice: InvalidStateError")
    try:
        f.set_exception(ValueError("late"))
    except asyncio.InvalidStateError:
        log.append("set_exception after result: InvalidStateError")
    log.append(f"cancel of done future -> {f.cancel()}, result {f.result()}")
    await fa
    await fb

    g = loop.create_future()
    g.add_done_callback(cb("g1"))
    ga = asyncio.create_task(awaiter("ga", g))
    await asyncio.sleep(0)
    g.set_exception(ValueError("bad"))
    log.append("main set_exception")
    await ga
    log.append(f"g exception {g.exception()!r}")

    c = loop.create_future()
    c1 = cb("c1")
    c.add_done_callback(c1)
    c.add_done_callback(cb("c2"))
    log.append(f"remove c1 -> {c.remove_done_callback(c1)}")
    ca = asyncio.create_task(awaiter("ca", c))
    await asyncio.sleep(0)
    log.append(f"cancel -> {c.cancel('bye')}")
    log.append(f"cancel again -> {c.cancel()}")
    try:
        c.set_result(1)
    except asyncio.InvalidStateError:
        log.append("set_result after cancel: InvalidStateError")
    try:
        await ca
    except asyncio.CancelledError:
        log.append(f"ca cancelled={ca.cancelled()}")
    try:
        c.exception()
    except asyncio.CancelledError:
        log.append("exception of cancelled future: CancelledError")
    await sp


async def main():
    await task_part()
    await future_part()
    for line in log:
        print(line)


asyncio.run(main())
