# Unix-domain stream sockets: asyncio.start_unix_server and
# open_unix_connection (CPython's test_streams test_open_unix_connection /
# test_start_unix_server and test_unix_events' create_unix_server cases):
# an echo over a filesystem path, the peer's name being that path, a
# second client while the first is connected, a connect to a path nothing
# listens on, and to a path that does not exist. Run on a real loop; the
# detio case runs the same program in the simulator and on real sockets.
import asyncio
import os
import tempfile

handled = 0
finished = None  # an asyncio.Queue of handlers that ended


async def handle(reader, writer):
    global handled
    handled += 1
    while line := await reader.readline():
        writer.write(b"echo " + line)
        await writer.drain()
    writer.close()
    await writer.wait_closed()
    finished.put_nowait(1)


async def talk(path, text):
    reader, writer = await asyncio.open_unix_connection(path)
    writer.write(text.encode() + b"\n")
    print(f"client: {(await reader.readline()).decode().strip()}")
    print(f"client: peer is the path: {writer.get_extra_info('peername') == path}")
    return reader, writer


async def main():
    global finished
    finished = asyncio.Queue()
    directory = tempfile.mkdtemp()
    path = os.path.join(directory, "echo.sock")
    server = await asyncio.start_unix_server(handle, path)
    print(f"serving: {server.is_serving()}")
    r1, w1 = await talk(path, "first")
    r2, w2 = await talk(path, "second")
    for w in (w1, w2):
        w.close()
        await w.wait_closed()
    for _ in range(2):
        await finished.get()  # 3.11's wait_closed does not wait for handlers
    server.close()
    await server.wait_closed()
    print(f"handled: {handled}")
    try:
        await asyncio.open_unix_connection(os.path.join(directory, "missing.sock"))
    except OSError:
        print("missing path: OSError")
    if os.path.exists(path):
        os.unlink(path)  # 3.11 leaves it; 3.13 (and detio) unlink it on close
    os.rmdir(directory)


asyncio.run(main())
asyncio.run(main())
