"""The C allocator's per-thread arenas: bounded before the server starts its threads.

glibc gives every thread that allocates concurrently an arena of its own and keeps what a thread
freed there for that thread. Each direction's batcher decodes in its own threads, so six
directions meant twelve decode threads each holding the buffers of its largest batch: measured
with bench/startup.py, RSS grew by about 50 MB on the first call of every direction (1,367 MB
after one call each) and stayed at 1,023 MB with two arenas.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import logging

logger = logging.getLogger(__name__)

# mallopt parameter number of M_ARENA_MAX in glibc's <malloc.h>.
_M_ARENA_MAX = -8


def limit_malloc_arenas(count: int) -> bool:
    """Cap glibc's malloc arenas at `count` (0 leaves the default); False where that cannot be done.

    Call it before threads allocate: arenas that already exist are kept.
    """
    if count <= 0:
        return False
    name = ctypes.util.find_library("c")
    if name is None:
        return False
    try:
        mallopt = ctypes.CDLL(name).mallopt
    except (OSError, AttributeError):  # not glibc (musl, macOS): nothing to set
        logger.info("malloc_arena_max ignored: this C library has no mallopt")
        return False
    mallopt.argtypes = (ctypes.c_int, ctypes.c_int)
    mallopt.restype = ctypes.c_int
    applied = bool(mallopt(_M_ARENA_MAX, count))
    if not applied:
        logger.info("malloc_arena_max ignored: mallopt refused %d arenas", count)
    return applied
