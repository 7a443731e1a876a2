"""Run a service's background loops (relay, consumers) as threads until SIGTERM or SIGINT."""
from __future__ import annotations

import logging
import signal
import threading
from typing import Callable, Mapping

from .process_gc import collect_less

log = logging.getLogger(__name__)


def run_forever(loops: Mapping[str, Callable[[threading.Event], None]],
                ops: Callable[[Callable[[], bool]], object] | None = None) -> None:
    """Start each loop in a thread; on a signal, ask them all to stop and wait for them.

    `ops`, if given, opens the operations port (eventkit.worker_http) with a liveness check."""
    collect_less()  # everything is loaded and wired: from here the process only moves records
    stop = threading.Event()
    for sig in (signal.SIGTERM, signal.SIGINT):
        signal.signal(sig, lambda *_: stop.set())
    threads = [threading.Thread(target=guarded(name, loop, stop), name=name, daemon=True)
               for name, loop in loops.items()]
    for thread in threads:
        thread.start()
    if ops is not None:
        ops(lambda: not stop.is_set() and all(t.is_alive() for t in threads))
    log.info("worker started: %s", ", ".join(loops))
    stop.wait()
    for thread in threads:
        thread.join(timeout=15)


def guarded(name: str, loop: Callable[[threading.Event], None], stop: threading.Event):
    """The loop, restarted 2 s after any error escapes it, until stop is set."""
    def target():
        while not stop.is_set():
            try:
                loop(stop)
            except Exception:  # a loop that dies is restarted; the error is logged, not swallowed
                log.exception("%s crashed; restarting in 2 s", name)
                stop.wait(2)
    return target
