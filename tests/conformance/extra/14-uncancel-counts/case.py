import asyncio


async def stubborn():
    me = asyncio.current_task()
    for i in range(3):
        try:
            await asyncio.sleep(0.01)
            print(f"stubborn: slept {i}, cancelling={me.cancelling()}")
        except asyncio.CancelledError as e:
            msg = e.args[0] if e.args else ""
            print(f"stubborn: cancelled msg={msg} cancelling={me.cancelling()}")
            print(f"stubborn: uncancel -> {me.uncancel()}")
    return "stubborn done"


async def quitter():
    try:
        await asyncio.sleep(1)
    except asyncio.CancelledError:
        print("quitter: cleaning up")
        await asyncio.sleep(0.01)
        print("quitter: re-raising")
        raise


async def main():
    t = asyncio.create_task(stubborn())
    await asyncio.sleep(0)
    print(f"main: cancel first -> {t.cancel('first')}")
    print(f"main: cancel second -> {t.cancel('second')}")
    print(f"main: cancelling={t.cancelling()}")
    print(f"main: {await t}")
    print(f"main: done={t.done()} cancelled={t.cancelled()} cancel again -> {t.cancel()}")

    q = asyncio.create_task(quitter())
    await asyncio.sleep(0.01)
    q.cancel("stop")
    await asyncio.sleep(0)
    print(f"main: quitter done={q.done()} cancelling={q.cancelling()}")
    try:
        await q
    except asyncio.CancelledError as e:
        print(f"main: quitter cancelled, msg={e.args[0] if e.args else ''}")
    print(f"main: quitter cancelled()={q.cancelled()}")

    never = asyncio.create_task(asyncio.sleep(1))
    print(f"main: cancel before start -> {never.cancel()}")
    try:
        await never
    except asyncio.CancelledError:
        print(f"main: never started, cancelled()={never.cancelled()}")


asyncio.run(main())
