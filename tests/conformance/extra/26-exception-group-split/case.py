import asyncio


async def fail(exc, delay):
    await asyncio.sleep(delay)
    raise exc


async def fail_when_cancelled(exc):
    try:
        await asyncio.sleep(10)
    except asyncio.CancelledError:
        raise exc


async def inner_group():
    async with asyncio.TaskGroup() as tg:
        tg.create_task(fail(KeyError("k"), 0.01))
        tg.create_task(fail_when_cancelled(TypeError("t1")))


def describe(eg):
    if eg is None:
        return "None"
    parts = []
    for e in eg.exceptions:
        if isinstance(e, ExceptionGroup):
            parts.append(describe(e))
        elif isinstance(e, KeyError):
            parts.append(f"KeyError({e.args[0]})")
        else:
            parts.append(f"{type(e).__name__}({e})")
    return f"[{eg.message}: {', '.join(parts)}]"


def show_split(label, parts):
    match, rest = parts
    print(f"{label}: {describe(match)} | {describe(rest)}")


async def main():
    try:
        async with asyncio.TaskGroup() as tg:
            tg.create_task(inner_group())
            tg.create_task(fail_when_cancelled(ValueError("v1")))
    except ExceptionGroup as eg:
        print(f"caught: {eg}")
        print(f"whole: {describe(eg)}")
        show_split("split(ValueError)", eg.split(ValueError))
        show_split("split(KeyError)", eg.split(KeyError))
        show_split("split((KeyError, TypeError))", eg.split((KeyError, TypeError)))
        show_split("split(ExceptionGroup)", eg.split(ExceptionGroup))
        show_split("split(Exception)", eg.split(Exception))
        print(f"subgroup(LookupError): {describe(eg.subgroup(LookupError))}")
        print(f"subgroup(OSError): {describe(eg.subgroup(OSError))}")
        only_t1 = eg.subgroup(lambda e: isinstance(e, TypeError) and str(e) == "t1")
        print(f"subgroup(t1 by predicate): {describe(only_t1)}")

    manual = ExceptionGroup("by hand", [ValueError("a"), ExceptionGroup("inner", [TypeError("b")])])
    print(f"manual: {manual}")
    show_split("manual split(TypeError)", manual.split(TypeError))
    try:
        raise manual
    except* TypeError as eg:
        print(f"except* TypeError: {describe(eg)}")
    except* ValueError as eg:
        print(f"except* ValueError: {describe(eg)}")


asyncio.run(main())
