# Behaviours from CPython's Lib/test/test_asyncio/test_streams.py
# (StreamReader), each line naming the test it comes from; written anew.
import asyncio


def show(data):
    return repr(data.decode())


async def rest(stream):
    stream.feed_eof()
    return show(await stream.read())


async def main():
    loop = asyncio.get_running_loop()

    # test_read_line_breaks: read(n) stops at n bytes, across fed chunks.
    s = asyncio.StreamReader()
    s.feed_data(b"line1")
    s.feed_data(b"line2")
    print(f"read_line_breaks: {show(await s.read(5))}, left {await rest(s)}")

    # test_read_until_eof: read() gathers everything up to EOF.
    s = asyncio.StreamReader()
    reader = asyncio.create_task(s.read(-1))

    def feed():
        s.feed_data(b"chunk1\n")
        s.feed_data(b"chunk2")
        s.feed_eof()

    loop.call_soon(feed)
    print(f"read_until_eof: {show(await reader)}")

    # test_read_exception: after set_exception, reads raise it.
    s = asyncio.StreamReader()
    s.feed_data(b"line\n")
    first = await s.read(2)
    s.set_exception(ValueError("broken"))
    try:
        await s.read(2)
    except ValueError as e:
        print(f"read_exception: read {show(first)}, then ValueError '{e}'")

    # test_invalid_limit (0; a negative limit cannot be written in C++'s size_t).
    try:
        asyncio.StreamReader(limit=0)
    except ValueError:
        print("invalid_limit(0): ValueError")

    # test_read_limit: the limit does not cap read(n).
    s = asyncio.StreamReader(limit=3)
    s.feed_data(b"chunk")
    print(f"read_limit: {show(await s.read(5))}")

    # test_readline: a line assembled from chunks fed later.
    s = asyncio.StreamReader()
    s.feed_data(b"chunk1 ")
    line = asyncio.create_task(s.readline())

    def more():
        s.feed_data(b"chunk2 ")
        s.feed_data(b"chunk3 ")
        s.feed_data(b"\n chunk4")

    loop.call_soon(more)
    print(f"readline: {show(await line)}, left {await rest(s)}")

    # test_readline_limit_with_existing_data: over the limit, the line is dropped.
    s = asyncio.StreamReader(limit=3)
    s.feed_data(b"li")
    s.feed_data(b"ne1\nline2\n")
    try:
        await s.readline()
    except ValueError:
        print(f"readline_limit_with_existing_data: ValueError, left {await rest(s)}")

    # test_at_eof.
    s = asyncio.StreamReader()
    states = [s.at_eof()]
    s.feed_data(b"some data\n")
    states.append(s.at_eof())
    await s.readline()
    states.append(s.at_eof())
    s.feed_data(b"some data\n")
    s.feed_eof()
    await s.readline()
    states.append(s.at_eof())
    print(f"at_eof: {states}")

    # test_readline_limit: strictness: a line of exactly `limit` bytes (plus \n) passes.
    s = asyncio.StreamReader(limit=7)
    s.feed_data(b"1234567\n")
    ok = await s.readline()
    s.feed_data(b"12345678\n")
    try:
        await s.readline()
    except ValueError:
        print(f"readline_limit: {show(ok)} passes, 8 bytes raise ValueError, left {await rest(s)}")

    # test_readline_read_byte_count: readline then read(n) continue where it stopped.
    s = asyncio.StreamReader()
    s.feed_data(b"line1\nline2\nline3\n")
    await s.readline()
    print(f"readline_read_byte_count: {show(await s.read(7))}, left {await rest(s)}")

    # test_readline_exception.
    s = asyncio.StreamReader()
    s.feed_data(b"line\n")
    got = await s.readline()
    s.set_exception(ValueError("gone"))
    try:
        await s.readline()
    except ValueError as e:
        print(f"readline_exception: {show(got)}, then ValueError '{e}'")

    # test_readuntil_separator: an empty separator is refused.
    try:
        await asyncio.StreamReader().readuntil(b"")
    except ValueError as e:
        print(f"readuntil_separator: ValueError '{e}'")

    # test_readuntil_multi_chunks_1: a separator split across chunks is found.
    s = asyncio.StreamReader()
    found = []
    for chunks in ((b"QWEaa", b"XYaa", b"a"), (b"QWEaa", b"XYa", b"aa"), (b"XXX", b"a", b"a", b"a")):
        for c in chunks:
            s.feed_data(c)
        found.append(show(await s.readuntil(b"aaa")))
    print(f"readuntil_multi_chunks_1: {', '.join(found)}")

    # test_readuntil_eof: EOF before the separator is IncompleteReadError with everything.
    s = asyncio.StreamReader()
    s.feed_data(b"some dataAA")
    s.feed_eof()
    try:
        await s.readuntil(b"AAA")
    except asyncio.IncompleteReadError as e:
        print(f"readuntil_eof: IncompleteReadError partial={show(e.partial)} expected={e.expected} '{e}'")


asyncio.run(main())
