"""The Python side of the echo benchmark: asyncio streams (the API detio
mirrors), on the default asyncio loop or, with --uvloop, on uvloop. Prints
"PORT <n>" and serves until killed.

    python3 asyncio_echo_server.py [--uvloop] [port]
"""
import asyncio
import sys


async def echo(reader, writer):
    while True:
        data = await reader.read(65536)
        if not data:
            break
        writer.write(data)
        await writer.drain()
    writer.close()


async def main(port):
    server = await asyncio.start_server(echo, "127.0.0.1", port, backlog=1024)
    print("PORT", server.sockets[0].getsockname()[1], flush=True)
    async with server:
        await server.serve_forever()


if __name__ == "__main__":
    args = [a for a in sys.argv[1:] if a != "--uvloop"]
    port = int(args[0]) if args else 0
    if "--uvloop" in sys.argv:
        import uvloop

        uvloop.install()
    asyncio.run(main(port))
