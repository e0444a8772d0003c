import asyncio

log = []


async def spinner(name, n):
    for i in range(n):
        log.append(f"{name} spin {i}")
        await asyncio.sleep(0)


async def job(name, delay, fail=False):
    if delay is None:
        log.append(f"{name} runs")
    else:
        await asyncio.sleep(delay)
    log.append(f"{name} finishes{' with ValueError' if fail else ''}")
    if fail:
        raise ValueError(name)
    return name


async def yields(name, n):
    for _ in range(n):
        await asyncio.sleep(0)
    log.append(f"{name} finishes after {n} yields")
    return name


def names(tasks):
    return "[" + ", ".join(sorted(t.get_name() for t in tasks)) + "]"


def show(label, done, pending):
    log.append(f"{label}: {len(done)} done {names(done)}, {len(pending)} pending {names(pending)}")


def mk(coro, name):
    return asyncio.create_task(coro, name=name)


async def hops_part():
    sp = asyncio.create_task(spinner("s", 8))
    x = mk(job("x", None), "x")
    y = mk(yields("y", 2), "y")
    done, pending = await asyncio.wait([y, x], return_when=asyncio.FIRST_COMPLETED)
    show("hops FIRST_COMPLETED", done, pending)
    done, pending = await asyncio.wait([x])
    show("hops already done", done, pending)
    done, pending = await asyncio.wait([x, y])
    show("hops ALL_COMPLETED", done, pending)
    await sp


async def timed_part():
    a = mk(job("a", 0.03), "a")
    b = mk(job("b", 0.01), "b")
    c = mk(job("c", 0.05), "c")
    done, pending = await asyncio.wait([a, b, c], return_when=asyncio.FIRST_COMPLETED)
    show("FIRST_COMPLETED", done, pending)
    done, pending = await asyncio.wait(pending)
    show("ALL_COMPLETED on the rest", done, pending)
    log.append(f"results {a.result()} {b.result()} {c.result()}")

    d = mk(job("d", 0.01), "d")
    e = mk(job("e", 0.02, fail=True), "e")
    f = mk(job("f", 0.04), "f")
    done, pending = await asyncio.wait([d, e, f], return_when=asyncio.FIRST_EXCEPTION)
    show("FIRST_EXCEPTION", done, pending)
    log.append(f"e exception {e.exception()!r}")
    done, pending = await asyncio.wait(pending, return_when=asyncio.FIRST_EXCEPTION)
    show("FIRST_EXCEPTION, none fails", done, pending)

    m = mk(job("m", 0.02, fail=True), "m")
    n = mk(job("n", 0.01), "n")
    done, pending = await asyncio.wait([m, n])
    show("ALL_COMPLETED with a failure", done, pending)
    log.append(f"m exception {m.exception()!r}, n result {n.result()}")


async def timeout_part():
    g = mk(job("g", 0.02), "g")
    h = mk(job("h", 0.06), "h")
    done, pending = await asyncio.wait([g, h], timeout=0.04)
    show("timeout 40ms", done, pending)
    log.append(f"h done={h.done()} cancelled={h.cancelled()}")
    log.append(f"h result {await h}")

    q = mk(job("q", 0.01), "q")
    done, pending = await asyncio.wait([q], timeout=1.0)
    show("timeout not reached", done, pending)

    k = mk(job("k", 0.05), "k")
    done, pending = await asyncio.wait([k], timeout=0.02, return_when=asyncio.FIRST_COMPLETED)
    show("FIRST_COMPLETED timeout 20ms", done, pending)
    k.cancel()
    done, pending = await asyncio.wait([k], return_when=asyncio.FIRST_EXCEPTION)
    show("after cancel", done, pending)
    log.append(f"k cancelled={k.cancelled()}")


async def main():
    await hops_part()
    await timed_part()
    await timeout_part()
    for line in log:
        print(line)


asyncio.run(main())
