import asyncio

handled = 0


async def handle(reader, writer):
    global handled
    handled += 1
    line = await reader.readline()
    writer.write(b"echo " + line)
    await writer.drain()
    writer.close()
    await writer.wait_closed()


async def talk(port, text):
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    writer.write(text.encode() + b"\n")
    print(f"client: {(await reader.readline()).decode().strip()}")
    writer.close()
    await writer.wait_closed()


async def main():
    server = await asyncio.start_server(handle, "127.0.0.1", 0, start_serving=False)
    port = server.sockets[0].getsockname()[1]
    print(f"bound: port chosen={port != 0} serving={server.is_serving()}")
    try:
        await talk(port, "too early")
    except ConnectionRefusedError:
        print("client: refused before start_serving")
    await server.start_serving()
    print(f"after start_serving: serving={server.is_serving()}")
    await talk(port, "hello")
    await server.start_serving()
    print(f"start_serving again: serving={server.is_serving()} handled={handled}")
    server.close()
    await server.wait_closed()

    idle = await asyncio.start_server(handle, "127.0.0.1", 0, start_serving=False)
    idle_port = idle.sockets[0].getsockname()[1]
    forever = asyncio.create_task(idle.serve_forever())
    await asyncio.sleep(0)
    print(f"serve_forever starts serving: {idle.is_serving()}")
    await talk(idle_port, "via serve_forever")
    forever.cancel()
    try:
        await forever
    except asyncio.CancelledError:
        print(f"serve_forever cancelled: serving={idle.is_serving()} handled={handled}")


asyncio.run(main())
