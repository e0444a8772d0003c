import asyncio

log = []


async def producer(name, q, items):
    for item in items:
        log.append(f"{name} put {item} (qsize {q.qsize()})")
        await q.put(item)
        log.append(f"{name} put {item} done (qsize {q.qsize()})")


async def consumer(name, q):
    while True:
        item = await q.get()
        log.append(f"{name} got {item}")
        await asyncio.sleep(0)
        log.append(f"{name} task_done {item}")
        q.task_done()


async def joiner(name, q):
    await q.join()
    log.append(f"{name} join returned")


async def getter(name, q):
    try:
        item = await q.get()
    except asyncio.CancelledError:
        log.append(f"{name} get cancelled (qsize {q.qsize()})")
        raise
    log.append(f"{name} got {item}")
    return item


async def bounded_part():
    q = asyncio.Queue(maxsize=2)
    q.put_nowait("x0")
    q.put_nowait("x1")
    try:
        q.put_nowait("x2")
    except asyncio.QueueFull:
        log.append(f"QueueFull, full={q.full()} qsize={q.qsize()}")
    p1 = asyncio.create_task(producer("p1", q, ["a1", "a2"]))
    p2 = asyncio.create_task(producer("p2", q, ["b1"]))
    j = asyncio.create_task(joiner("j", q))
    await asyncio.sleep(0)
    log.append(f"main get_nowait {q.get_nowait()}")
    q.task_done()
    log.append(f"main get_nowait {q.get_nowait()}")
    q.task_done()
    q.put_nowait("m")
    log.append(f"main put_nowait m (qsize {q.qsize()})")
    await asyncio.sleep(0)
    log.append(f"main after yield (qsize {q.qsize()} full={q.full()})")
    cs = [asyncio.create_task(consumer(f"c{i}", q)) for i in range(2)]
    await q.join()
    log.append(f"main join returned (qsize {q.qsize()} empty={q.empty()})")
    await p1
    await p2
    await j
    for c in cs:
        c.cancel()
    await asyncio.sleep(0)
    log.append(f"consumers cancelled={[c.cancelled() for c in cs]}")
    try:
        q.get_nowait()
    except asyncio.QueueEmpty:
        log.append("QueueEmpty")
    try:
        q.task_done()
    except ValueError:
        log.append("task_done too many: ValueError")


async def cancel_part():
    q = asyncio.Queue()
    g0 = asyncio.create_task(getter("g0", q))
    await asyncio.sleep(0)
    g0.cancel()
    await asyncio.sleep(0)
    q.put_nowait("kept")
    log.append(f"after cancelled get, qsize {q.qsize()}")
    g1 = asyncio.create_task(getter("g1", q))
    g2 = asyncio.create_task(getter("g2", q))
    g3 = asyncio.create_task(getter("g3", q))
    await asyncio.sleep(0)
    log.append(f"after yield, qsize {q.qsize()}")
    q.put_nowait("only")
    g2.cancel()
    log.append(f"put only, cancelled g2 (qsize {q.qsize()})")
    await asyncio.sleep(0)
    log.append(f"after one yield (qsize {q.qsize()})")
    q.put_nowait("last")
    for t in (g1, g2, g3):
        try:
            await t
        except asyncio.CancelledError:
            log.append("main: a getter was cancelled")
    log.append(f"cancel part done (qsize {q.qsize()})")


async def woken_then_cancelled_part():
    q = asyncio.Queue()
    g1 = asyncio.create_task(getter("h1", q))
    g2 = asyncio.create_task(getter("h2", q))
    await asyncio.sleep(0)
    q.put_nowait("item")
    g1.cancel()
    log.append("put item (wakes h1), then cancelled h1")
    for t in (g1, g2):
        try:
            await t
        except asyncio.CancelledError:
            log.append("main: h1 cancelled")
    log.append(f"qsize {q.qsize()}")


async def order_part():
    pq = asyncio.PriorityQueue()
    w = asyncio.create_task(getter("pw", pq))
    await asyncio.sleep(0)
    for item in [(5, "five"), (1, "one"), (3, "three"), (1, "also-one")]:
        pq.put_nowait(item)
    await w
    rest = [pq.get_nowait() for _ in range(pq.qsize())]
    log.append(f"priority rest {rest}")
    lq = asyncio.LifoQueue(maxsize=3)
    for i in range(3):
        await lq.put(i)
    try:
        lq.put_nowait(99)
    except asyncio.QueueFull:
        log.append("lifo QueueFull")
    p = asyncio.create_task(producer("lp", lq, [10]))
    await asyncio.sleep(0)
    log.append(f"lifo get {lq.get_nowait()}")
    await p
    log.append(f"lifo rest {[lq.get_nowait() for _ in range(lq.qsize())]}")


async def main():
    await bounded_part()
    await cancel_part()
    await woken_then_cancelled_part()
    await order_part()
    for line in log:
        print(line)


asyncio.run(main())
