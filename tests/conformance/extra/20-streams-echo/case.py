import asyncio


handler_done = None


async def handle(reader, writer):
    while True:
        line = await reader.readline()
        if not line:
            print(f"server: EOF, at_eof={reader.at_eof()}")
            break
        print(f"server: got {line.decode().strip()}")
        writer.write(line.upper())
        await writer.drain()
    writer.write(b"bye\n")
    writer.close()
    await writer.wait_closed()
    handler_done.set()


async def main():
    global handler_done
    handler_done = asyncio.Event()
    server = await asyncio.start_server(handle, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    print(f"serving: {server.is_serving()}")
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    for word in ("alpha", "beta"):
        writer.write(word.encode() + b"\n")
        await writer.drain()
        print(f"client: echo {(await reader.readline()).decode().strip()}")
    print(f"client: can_write_eof={writer.can_write_eof()}")
    writer.write_eof()
    print(f"client: last {(await reader.readline()).decode().strip()}")
    print(f"client: then {await reader.read()!r}, at_eof={reader.at_eof()}")
    writer.close()
    await writer.wait_closed()
    print(f"client: is_closing={writer.is_closing()}")
    await handler_done.wait()
    print("server: handler finished")
    server.close()
    await server.wait_closed()
    print(f"serving: {server.is_serving()}")
    try:
        await asyncio.open_connection("127.0.0.1", port)
    except ConnectionRefusedError:
        print("connect after close: ConnectionRefusedError")


asyncio.run(main())
