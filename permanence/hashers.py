"""Password hashing that gives way to the pages (issue 19: "sign-in stays costly by design but
must not stall other pages").

Checking a password is Django's PBKDF2 with SHA-256 at its own iteration count, unchanged: the
same stored form (`pbkdf2_sha256$…`), the same cost to an attacker. What changes is who waits for
it. A web process hashes on a thread of its own whose scheduling priority is the lowest
(`nice` 19), so while people open pages the processor serves their pages first and the hashing
takes what is left over; on an idle machine it runs at full speed. Only the person signing in
waits longer, and only when the service is busy.

hashlib's PBKDF2 lets go of Python's interpreter lock while it works, so the thread costs
nothing to the process but the hashing itself. Linux keeps a priority for each thread, so only
that thread is lowered; where the operating system will not lower it, hashing still works, at
the caller's priority.
"""

from __future__ import annotations

import contextlib
import os
import threading
from concurrent.futures import ThreadPoolExecutor

from django.contrib.auth.hashers import PBKDF2PasswordHasher

# The lowest priority there is: the thread runs only when nothing else wants the processor.
HASHING_NICENESS = 19

_pool: ThreadPoolExecutor | None = None
_pool_pid: int | None = None
_pool_lock = threading.Lock()


def _lower_this_threads_priority() -> None:
    # Not Linux, or not allowed: the thread hashes at the caller's priority.
    with contextlib.suppress(AttributeError, OSError):
        os.setpriority(os.PRIO_PROCESS, threading.get_native_id(), HASHING_NICENESS)


def hashing_pool() -> ThreadPoolExecutor:
    """This process's one hashing thread (made again in a process forked after it was made, as
    gunicorn's workers are)."""
    global _pool, _pool_pid
    pid = os.getpid()
    if _pool is None or _pool_pid != pid:
        with _pool_lock:
            if _pool is None or _pool_pid != pid:
                _pool = ThreadPoolExecutor(
                    max_workers=1,
                    thread_name_prefix="password-hashing",
                    initializer=_lower_this_threads_priority,
                )
                _pool_pid = pid
    return _pool


class YieldingPBKDF2PasswordHasher(PBKDF2PasswordHasher):
    """Django's PBKDF2-SHA256 hasher, worked on the process's low-priority hashing thread."""

    def encode(self, password, salt, iterations=None):
        parent = super()
        return hashing_pool().submit(parent.encode, password, salt, iterations).result()
