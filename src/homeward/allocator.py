"""The C allocator (glibc's malloc): how many memory pools a process keeps, and
handing freed memory back to the system.  Elsewhere than glibc both do nothing."""

from __future__ import annotations

import contextlib
import ctypes

MALLOC_ARENAS = 2
"""Memory pools of the C allocator per server process.  glibc gives each thread
a pool of its own, up to eight per core; a server answers in a pool of about
forty threads, and each pool kept the freed memory of the requests it served:
a process grew by about 10 MB with every import it ran while people worked and
did not stop (a soak grew 294 MiB in 30 minutes).  Two pools: no such growth."""
M_ARENA_MAX = -8
"""glibc's ``mallopt`` parameter for the largest number of pools."""


def limit_malloc_arenas(arenas: int = MALLOC_ARENAS) -> bool:
    """Keep the C allocator to ``arenas`` pools for the threads started from now
    on; ``False`` where the C library has no such setting (not glibc)."""
    try:
        mallopt = ctypes.CDLL(None).mallopt
    except (OSError, AttributeError):
        return False
    return bool(mallopt(M_ARENA_MAX, arenas))


def release_freed_memory() -> None:
    """Hand the memory freed so far back to the system (glibc keeps it for the
    process otherwise), so that a long run's later stages do not count it again
    in their peak."""
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL(None).malloc_trim(0)
