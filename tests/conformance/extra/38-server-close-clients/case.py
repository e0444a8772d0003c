# Shutting a server down with connections open (test_server's
# test_close_clients / test_abort_clients, 3.13). Server.close_clients() and
# abort_clients() are 3.13; where they are missing (3.11, which judges this
# case) the program does what they do: close / abort the transport of each
# connection the server still has, here the writers its handler tracked.
# The case avoids two places where versions differ: on 3.11 a cancelled
# serve_forever and wait_closed do not wait for open connections (3.12+ and
# detio do), so the clients are closed before it is awaited and the
# handlers' reads are printed once all of them ended; and what a peer sees
# after an abort (asyncio closes the socket, detio resets it) is not
# printed.
import asyncio

open_writers = []
handler_reads = []


def close_clients(server):
    if hasattr(server, "close_clients"):
        server.close_clients()
    else:
        for writer in list(open_writers):
            writer.close()


def abort_clients(server):
    if hasattr(server, "abort_clients"):
        server.abort_clients()
    else:
        for writer in list(open_writers):
            writer.transport.abort()


def print_handler_reads():
    for line in handler_reads:
        print(line)
    handler_reads.clear()


async def handle(reader, writer):
    number = len(open_writers)
    open_writers.append(writer)
    data = await reader.read(100)
    handler_reads.append(f"handler {number} read {data!r}")
    open_writers.remove(writer)


async def connect_two(port):
    clients = [await asyncio.open_connection("127.0.0.1", port) for _ in range(2)]
    while len(open_writers) < 2:
        await asyncio.sleep(0)
    return clients


async def main():
    server = await asyncio.start_server(handle, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    forever = asyncio.create_task(server.serve_forever())
    clients = await connect_two(port)
    writer = open_writers[0]
    print(f"extra info default: {writer.get_extra_info('nothing', 'fallback')}")
    print(f"handler's peer is the client: {writer.get_extra_info('peername') == clients[0][1].get_extra_info('sockname')}")
    print(f"transport reading: {writer.transport.is_reading()}")
    forever.cancel("shutdown")
    close_clients(server)
    try:
        await forever
    except asyncio.CancelledError as e:
        print(f"serve_forever: CancelledError '{e}', serving={server.is_serving()}")
    while open_writers:  # 3.11's serve_forever does not wait for the handlers
        await asyncio.sleep(0)
    print_handler_reads()
    for i, (reader, client) in enumerate(clients):
        print(f"client {i} read {await reader.read(100)!r}")
        client.close()
    await server.wait_closed()

    server = await asyncio.start_server(handle, "127.0.0.1", 0)
    clients = await connect_two(server.sockets[0].getsockname()[1])
    transports = [w.transport for w in open_writers]
    server.close()
    abort_clients(server)
    print(f"aborted transports closing: {[t.is_closing() for t in transports]}")
    await server.wait_closed()
    while open_writers:  # 3.11's wait_closed does not wait for them
        await asyncio.sleep(0)
    print("wait_closed done, every handler ended")
    print_handler_reads()
    for reader, client in clients:
        client.close()


asyncio.run(main())
