"""Keep a worker's memory from ratcheting up: page-sized arrays go back to the OS when freed."""

from __future__ import annotations

import ctypes
import ctypes.util
import functools
import sys

M_MMAP_THRESHOLD = -3
M_ARENA_MAX = -8


@functools.lru_cache(maxsize=1)
def _libc():
    if not sys.platform.startswith("linux"):
        return None
    try:
        return ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
    except OSError:
        return None


def return_big_blocks_to_os(threshold: int = 4 << 20) -> None:
    """Fix glibc's mmap threshold (4 MiB): otherwise it grows after each freed page-sized array, and
    later arrays come from a heap that never shrinks (a worker would keep its largest page's memory).
    Smaller blocks stay on the heap, where reuse costs no page faults."""
    libc = _libc()
    if libc is not None and hasattr(libc, "mallopt"):
        libc.mallopt(M_MMAP_THRESHOLD, threshold)


def share_one_heap(arenas: int = 1) -> None:
    """Let worker threads allocate from `arenas` heaps (glibc gives each thread its own, and what
    one thread frees another cannot reuse: big temporary arrays then pile up)."""
    libc = _libc()
    if libc is not None and hasattr(libc, "mallopt"):
        libc.mallopt(M_ARENA_MAX, arenas)


def trim() -> None:
    """Hand freed heap memory back to the OS (glibc), e.g. before a memory-hungry child process runs."""
    libc = _libc()
    if libc is not None and hasattr(libc, "malloc_trim"):
        libc.malloc_trim(0)
