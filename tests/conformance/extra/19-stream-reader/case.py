import asyncio


def show(data):
    return "'" + data.decode().replace("\n", "\\n") + "'"


async def main():
    r = asyncio.StreamReader(limit=16)
    r.feed_data(b"hello\nwor")
    print(f"readline -> {show(await r.readline())}")
    pending = asyncio.create_task(r.readline())
    await asyncio.sleep(0)
    print(f"readline waiting: done={pending.done()}")
    r.feed_data(b"ld\n")
    print(f"readline -> {show(await pending)}")

    r.feed_data(b"abcdef")
    print(f"readexactly(3) -> {show(await r.readexactly(3))}")
    print(f"read(10) -> {show(await r.read(10))}")
    print(f"read(0) -> {show(await r.read(0))}")

    r.feed_data(b"a||b||")
    print(f"readuntil('||') -> {show(await r.readuntil(b'||'))}")
    print(f"readuntil('||') -> {show(await r.readuntil(b'||'))}")

    cancelled = asyncio.create_task(r.readexactly(4))
    await asyncio.sleep(0)
    r.feed_data(b"12")
    await asyncio.sleep(0)
    cancelled.cancel()
    try:
        await cancelled
    except asyncio.CancelledError:
        print("readexactly(4) cancelled")
    r.feed_data(b"34")
    print(f"readexactly(4) -> {show(await r.readexactly(4))}")

    r.feed_data(b"x" * 20)
    try:
        await r.readuntil(b"!")
    except asyncio.LimitOverrunError as e:
        print(f"LimitOverrunError consumed={e.consumed}: {e}")
    try:
        await r.readline()
    except ValueError as e:
        print(f"readline ValueError: {e}")
    r.feed_data(b"y" * 18 + b"\nnext\n")
    try:
        await r.readline()
    except ValueError as e:
        print(f"readline ValueError: {e}")
    print(f"readline -> {show(await r.readline())}")

    r.feed_data(b"tail")
    r.feed_eof()
    try:
        await r.readexactly(10)
    except asyncio.IncompleteReadError as e:
        print(f"IncompleteReadError partial={show(e.partial)} expected={e.expected}")
    print(f"at_eof={r.at_eof()}")
    print(f"read() at EOF -> {show(await r.read())}")
    print(f"readline() at EOF -> {show(await r.readline())}")

    r2 = asyncio.StreamReader()
    r2.feed_data(b"no newline")
    r2.feed_eof()
    print(f"readline -> {show(await r2.readline())}")
    try:
        await r2.readuntil(b"!")
    except asyncio.IncompleteReadError as e:
        print(f"readuntil at EOF: partial={show(e.partial)} expected={e.expected}")


asyncio.run(main())
