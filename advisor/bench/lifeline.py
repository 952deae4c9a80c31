"""Make a harness process die with its parent, so a killed run leaves no process behind.

The runner starts each child in a session of its own (so a timeout can kill the child's whole
process group), which also means that killing the runner with SIGKILL would orphan the child,
its listener and its connections. On Linux, `prctl(PR_SET_PDEATHSIG, SIGKILL)` asks the kernel
to kill a process the moment its parent dies; children call `die_with_parent` first thing, and
pass it as `preexec_fn` to the processes they start. Elsewhere it does nothing (the runner's
own signal handling still kills the child on SIGTERM and Ctrl-C).
"""

from __future__ import annotations

import os
import signal
import sys

_PR_SET_PDEATHSIG = 1


def die_with_parent() -> None:
    """Ask the kernel to SIGKILL this process when its parent exits (Linux only); if the
    parent has already gone (this process was re-parented), exit now."""
    if not sys.platform.startswith("linux"):
        return
    import ctypes

    parent = os.getppid()
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    except (OSError, AttributeError):
        return
    if os.getppid() != parent or parent == 1:
        os._exit(1)
