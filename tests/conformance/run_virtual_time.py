"""Runs a conformance case.py under CPython's own asyncio, on a virtual clock.

The event loop is asyncio's SelectorEventLoop, unchanged, except that its
clock is virtual: when the loop would sleep until its next timer and no
socket is ready, the clock jumps to that timer instead of waiting. Wake-up
order and loop iterations are CPython's; the output no longer depends on
how busy the machine is, and the case takes no real time.

    python3 run_virtual_time.py case.py
"""
import asyncio
import runpy
import sys


class VirtualClockLoop(asyncio.SelectorEventLoop):
    def __init__(self):
        super().__init__()
        self._virtual_now = 0.0
        real_select = self._selector.select

        def select(timeout=None):
            events = real_select(0)
            if events or timeout == 0:
                return events
            if timeout is None:
                return real_select(None)  # nothing scheduled: wait for I/O
            self._virtual_now += timeout
            return []

        self._selector.select = select

    def time(self):
        return self._virtual_now


class VirtualClockPolicy(asyncio.DefaultEventLoopPolicy):
    _loop_factory = VirtualClockLoop


asyncio.set_event_loop_policy(VirtualClockPolicy())
sys.argv = sys.argv[1:]
runpy.run_path(sys.argv[0], run_name="__main__")
