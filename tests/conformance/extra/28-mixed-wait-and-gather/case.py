import asyncio


async def value_after(delay, value):
    await asyncio.sleep(delay)
    return value


async def fail_after(delay, exc):
    await asyncio.sleep(delay)
    raise exc


def describe(r):
    return f"{type(r).__name__}({r})" if isinstance(r, BaseException) else repr(r)


async def main():
    loop = asyncio.get_running_loop()

    # gather(a, b, c, return_exceptions=True) over different result types.
    fut = loop.create_future()
    loop.call_later(0.02, fut.set_result, "from a future")
    results = await asyncio.gather(value_after(0.01, 7), fail_after(0.01, ValueError("bad")), fut,
                                   return_exceptions=True)
    print("gather settled: " + ", ".join(describe(r) for r in results))

    # wait over a mixed set: an int task, a str future, a failing task.
    fut = loop.create_future()
    loop.call_later(0.02, fut.set_result, "late value")
    number = asyncio.create_task(value_after(0.01, 42))
    failing = asyncio.create_task(fail_after(0.03, ValueError("boom")))
    named = {"number": number, "future": fut, "failing": failing}
    for mode in (asyncio.FIRST_COMPLETED, asyncio.FIRST_EXCEPTION, asyncio.ALL_COMPLETED):
        done, pending = await asyncio.wait(named.values(), return_when=mode)
        print(f"{mode}: done {[n for n, f in named.items() if f in done]} pending "
              f"{[n for n, f in named.items() if f in pending]}")
    print(f"number={number.result()} future={fut.result()!r} failing={describe(failing.exception())}")

    # wait over Futures only, with a timeout.
    futures = [loop.create_future() for _ in range(3)]
    loop.call_later(0.01, futures[1].set_result, 1)
    loop.call_later(0.05, futures[0].set_result, 0)
    done, pending = await asyncio.wait(futures, timeout=0.02)
    print(f"futures after 20 ms: done {[futures.index(f) for f in done]} pending "
          f"{sorted(futures.index(f) for f in pending)}")
    futures[2].cancel()

    # as_completed over Futures.
    futures = [loop.create_future() for _ in range(3)]
    for i, delay in enumerate((0.03, 0.01, 0.02)):
        loop.call_later(delay, futures[i].set_result, i * 10)
    values = []
    for f in asyncio.as_completed(futures):
        values.append(str(await f))
    print("as_completed futures: " + ", ".join(values))

    # as_completed over a mixed set: results in completion order.
    fut = loop.create_future()
    loop.call_later(0.02, fut.set_result, "text")
    mixed = [asyncio.create_task(fail_after(0.03, ValueError("last"))), fut,
             asyncio.create_task(value_after(0.01, 3))]
    for f in asyncio.as_completed(mixed):
        try:
            print(f"as_completed mixed: {await f!r}")
        except ValueError as e:
            print(f"as_completed mixed: raised ValueError({e})")


asyncio.run(main())
