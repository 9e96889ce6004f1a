"""Serving the proxy: listening, and stopping cleanly, with the interface of uvicorn's server that ServerThread drives.

A stop (SIGINT or SIGTERM in the main thread, or `should_exit`) closes the listening sockets and the idle
connections, lets each exchange under way finish for up to `GRACE_S` (a second signal cuts that short), then
closes the upstream's.
"""

from __future__ import annotations

import asyncio
import signal
import socket
import threading
from collections.abc import Callable

from .forward import Proxy
from .front import Front
from .limits import Timeouts

GRACE_S = 30.0
"""How long exchanges under way may take to finish once the proxy is stopped."""
_POLL_S = 0.05


class RelayServer:
    """Serves `proxy` on the sockets `run` is given until `should_exit` is set or a stop signal comes."""

    def __init__(self, proxy: Proxy, timeouts: Timeouts | None = None) -> None:
        self.proxy = proxy
        self.timeouts = timeouts or Timeouts()
        self.started = False
        self.should_exit = False
        self._forced = False

    def run(self, sockets: list[socket.socket]) -> None:
        """Serve on `sockets` (bound and listening) until stopped, on uvloop where it is installed."""
        with asyncio.Runner(loop_factory=_loop_factory()) as runner:
            runner.run(self.serve(sockets))

    async def serve(self, sockets: list[socket.socket]) -> None:
        """Serve on `sockets` until stopped; return once every exchange under way has finished."""
        loop = asyncio.get_running_loop()
        connections: set[Front] = set()
        servers = [await loop.create_server(self._front(connections), sock=sock) for sock in sockets]
        signals = (signal.SIGINT, signal.SIGTERM) if threading.current_thread() is threading.main_thread() else ()
        for stop in signals:
            loop.add_signal_handler(stop, self._exit)
        self.started = True
        try:
            while not self.should_exit:
                await asyncio.sleep(_POLL_S)
        finally:
            for server in servers:
                server.close()
            for connection in list(connections):
                connection.stop()
            busy = {connection.worker for connection in connections if connection.worker is not None}
            deadline = loop.time() + GRACE_S
            # A second stop signal (Ctrl-C again) ends the wait: whoever sends it wants out now.
            while busy and not self._forced and loop.time() < deadline:
                _, busy = await asyncio.wait(busy, timeout=_POLL_S)
            await self.proxy.client.aclose()
            for stop in signals:
                loop.remove_signal_handler(stop)

    def _front(self, connections: set[Front]) -> Callable[[], Front]:
        return lambda: Front(self.proxy.handle, connections, self.timeouts)

    def _exit(self) -> None:
        self._forced = self.should_exit
        self.should_exit = True


def _loop_factory() -> Callable[[], asyncio.AbstractEventLoop] | None:
    try:
        import uvloop
    except ImportError:  # uvicorn[standard] brings it where it builds; the standard loop serves elsewhere
        return None
    return uvloop.new_event_loop
