"""The malloc arena cap that keeps each decode thread from holding an arena of its own."""

from __future__ import annotations

import platform
import subprocess
import sys

import pytest

from service.cli.allocator import limit_malloc_arenas
from service.config import Settings
from service.errors import ConfigError

GLIBC = platform.system() == "Linux" and platform.libc_ver()[0] == "glibc"

# Eight threads each allocate and free 64 MiB in 1 MiB blocks below glibc's mmap threshold
# (raised so the blocks come from the arenas), at the same time; RSS after they are done.
ARENAS_PROBE = """
import ctypes, sys, threading
from service.cli.allocator import limit_malloc_arenas
libc = ctypes.CDLL(None)
libc.mallopt(-3, 64 * 1024 * 1024)   # M_MMAP_THRESHOLD: arenas, not mmap
libc.mallopt(-1, 256 * 1024 * 1024)  # M_TRIM_THRESHOLD: keep what was freed, as decoding does
limit_malloc_arenas(int(sys.argv[1]))
start = threading.Barrier(8)
def work():
    start.wait()
    blocks = [ctypes.create_string_buffer(1 << 20) for _ in range(64)]
    for block in blocks:
        ctypes.memset(block, 1, 1 << 20)
    start.wait()
threads = [threading.Thread(target=work) for _ in range(8)]
for t in threads: t.start()
for t in threads: t.join()
with open("/proc/self/status") as status:
    print(next(int(l.split()[1]) for l in status if l.startswith("VmRSS")) // 1024)
"""


def rss_after_threads(arenas: int) -> int:
    out = subprocess.run(
        [sys.executable, "-c", ARENAS_PROBE, str(arenas)],
        capture_output=True,
        text=True,
        check=True,
    )
    return int(out.stdout.strip())


@pytest.mark.skipif(not GLIBC, reason="mallopt arenas are glibc's")
def test_the_cap_is_applied_on_glibc() -> None:
    assert limit_malloc_arenas(2) is True


def test_zero_leaves_the_allocator_alone() -> None:
    assert limit_malloc_arenas(0) is False


def test_the_setting_is_checked() -> None:
    assert Settings().malloc_arena_max == 2
    with pytest.raises(ConfigError, match="malloc_arena_max"):
        Settings(malloc_arena_max=-1)


@pytest.mark.skipif(not GLIBC, reason="mallopt arenas are glibc's")
def test_threads_share_the_capped_arenas_and_their_freed_memory_is_returned() -> None:
    # Without the cap each thread keeps its freed 64 MiB in an arena of its own.
    assert rss_after_threads(2) < rss_after_threads(0) / 2
