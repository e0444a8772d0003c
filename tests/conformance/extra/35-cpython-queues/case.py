# Behaviours from CPython's Lib/test/test_asyncio/test_queues.py, each line
# naming the test it comes from; written anew, not copied.
import asyncio


async def main():
    # QueueBasicTests.test_empty / test_full / test_maxsize.
    q = asyncio.Queue(maxsize=2)
    print(f"empty: {q.empty()} full: {q.full()} maxsize: {q.maxsize}")
    q.put_nowait(1)
    q.put_nowait(2)
    print(f"after two puts: empty: {q.empty()} full: {q.full()} qsize: {q.qsize()}")

    # QueuePutTests.test_nonblocking_put_exception / QueueGetTests.test_nonblocking_get_exception.
    try:
        q.put_nowait(3)
    except asyncio.QueueFull:
        print("put_nowait on a full queue: QueueFull")
    q.get_nowait()
    q.get_nowait()
    try:
        q.get_nowait()
    except asyncio.QueueEmpty:
        print("get_nowait on an empty queue: QueueEmpty")

    # QueueBasicTests.test_order, LifoQueueTests.test_order, PriorityQueueTests.test_order.
    for kind in (asyncio.Queue, asyncio.LifoQueue, asyncio.PriorityQueue):
        q = kind()
        for i in (1, 3, 2):
            q.put_nowait(i)
        print(f"{kind.__name__} order: {[q.get_nowait() for _ in range(3)]}")

    # QueueGetTests.test_blocking_get_wait: a getter waits for the next put.
    q = asyncio.Queue()
    getter = asyncio.create_task(q.get())
    await asyncio.sleep(0.01)
    print(f"blocking get: done before put={getter.done()}")
    q.put_nowait("item")
    print(f"blocking get: got {await getter!r}")

    # QueueGetTests.test_get_cancelled: a cancelled get takes nothing.
    q = asyncio.Queue()
    getter = asyncio.create_task(q.get())
    await asyncio.sleep(0)
    getter.cancel()
    await asyncio.sleep(0)
    q.put_nowait("kept")
    print(f"get_cancelled: getter cancelled={getter.cancelled()} qsize={q.qsize()}")

    # QueueGetTests.test_get_with_putters: a get frees room for a waiting putter.
    q = asyncio.Queue(1)
    q.put_nowait(1)
    putter = asyncio.create_task(q.put(2))
    await asyncio.sleep(0)
    print(f"get_with_putters: got {await q.get()}, putter done={putter.done()}")
    await putter
    print(f"get_with_putters: then {q.get_nowait()}")

    # QueuePutTests.test_put_cancelled: a cancelled put adds nothing.
    q = asyncio.Queue(1)
    q.put_nowait("first")
    putter = asyncio.create_task(q.put("never"))
    await asyncio.sleep(0)
    putter.cancel()
    await asyncio.sleep(0)
    print(f"put_cancelled: {q.get_nowait()!r}, left {q.qsize()}")

    # QueuePutTests.test_blocking_put_wait: putters resume in order as room appears.
    q = asyncio.Queue(1)
    log = []

    async def put(i):
        await q.put(i)
        log.append(f"put {i}")

    q.put_nowait(0)
    putters = [asyncio.create_task(put(i)) for i in (1, 2)]
    await asyncio.sleep(0)
    for _ in range(3):
        log.append(f"got {await q.get()}")
        await asyncio.sleep(0)
    await asyncio.gather(*putters)
    print(f"blocking_put_wait: {log}")

    # _QueueJoinTestMixin.test_task_done: join returns once every item is done.
    q = asyncio.Queue()
    for i in range(5):
        q.put_nowait(i)
    handled = 0

    async def worker():
        nonlocal handled
        while True:
            await q.get()
            await asyncio.sleep(0.01)
            handled += 1
            q.task_done()

    workers = [asyncio.create_task(worker()) for _ in range(2)]
    await q.join()
    print(f"task_done: join returned after {handled} items")
    for w in workers:
        w.cancel()
    await asyncio.gather(*workers, return_exceptions=True)

    # _QueueJoinTestMixin.test_join_empty_queue: nothing to wait for.
    await q.join()
    await q.join()
    print("join_empty_queue: returned twice")

    # _QueueJoinTestMixin.test_task_done_underflow.
    try:
        q.task_done()
    except ValueError as e:
        print(f"task_done_underflow: ValueError '{e}'")


asyncio.run(main())
