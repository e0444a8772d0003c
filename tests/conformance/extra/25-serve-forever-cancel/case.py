import asyncio


async def handle(reader, writer):
    line = await reader.readline()
    writer.write(b"echo " + line)
    await writer.drain()
    writer.close()
    await writer.wait_closed()


async def talk(port, text):
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    writer.write(text.encode() + b"\n")
    reply = await reader.readline()
    print(f"client: {reply.decode().strip()}")
    writer.close()
    await writer.wait_closed()


async def serve(server, label):
    try:
        await server.serve_forever()
    except asyncio.CancelledError as e:
        print(f"{label}: serve_forever raised CancelledError '{e}'")
        raise


async def main():
    server = await asyncio.start_server(handle, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    task = asyncio.create_task(serve(server, "first"))
    await asyncio.sleep(0.01)
    print(f"serving: {server.is_serving()}")
    await talk(port, "hello")
    task.cancel("shutting down")
    try:
        await task
    except asyncio.CancelledError as e:
        print(f"main: task cancelled, message '{e}', cancelled()={task.cancelled()}")
    print(f"serving after cancel: {server.is_serving()}")
    try:
        await talk(port, "too late")
    except ConnectionRefusedError:
        print("client: refused")

    server = await asyncio.start_server(handle, "127.0.0.1", 0)
    task = asyncio.create_task(serve(server, "second"))
    await asyncio.sleep(0.01)
    server.close()
    try:
        await task
    except asyncio.CancelledError as e:
        print(f"main: close() ended serve_forever, message '{e}'")
    await server.wait_closed()
    print("main: done")


asyncio.run(main())
