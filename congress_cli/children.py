"""Child processes that never outlive the ``congress`` process that started them.

A supervisor killed with ``kill -9`` (or by a test's timeout) runs no clean-up,
so its children would keep their ports and their memory. On Linux each child asks
the kernel for SIGTERM when its parent dies (``PR_SET_PDEATHSIG``); elsewhere this
is a no-op and the normal stop path is all there is.
"""
from __future__ import annotations

import ctypes
import ctypes.util
import signal
import sys
from collections.abc import Callable

PR_SET_PDEATHSIG = 1


def _die_with_parent() -> None:
    libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
    libc.prctl(PR_SET_PDEATHSIG, signal.SIGTERM)


def die_with_parent() -> Callable[[], None] | None:
    """A ``preexec_fn`` for ``subprocess.Popen`` that ties the child's life to ours (Linux only)."""
    return _die_with_parent if sys.platform.startswith("linux") else None
