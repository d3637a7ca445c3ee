"""One nightly at a time per warehouse directory: an advisory lock on <warehouse-dir>/nightly.lock.

`fcntl.flock` locks belong to the open file description, so the kernel drops the lock when the
holder exits for any reason, `kill -9` included: a lock left behind by a killed run is no lock
at all, and the next run simply acquires it. The file itself is never deleted (deleting a lock
file races with a process that has just opened it); it only carries the holder's pid and start
time for the error message while it is held, and says "free; last held by ..." once the
holder finished normally (a killed holder leaves its "pid ... since ..." line: harmless, the
lock itself is gone).
"""

from __future__ import annotations

import contextlib
import fcntl
import os
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

from hotline.settings import Warehouse

LOCK_NAME = "nightly.lock"


class LockBusy(RuntimeError):
    """Another process holds the nightly lock of this warehouse directory."""

    def __init__(self, path: Path, holder: str) -> None:
        self.path = path
        self.holder = holder
        detail = f" (held by {holder})" if holder else ""
        super().__init__(f"another nightly is running on this warehouse: {path} is locked{detail}")


def lock_path(warehouse: Warehouse | Path) -> Path:
    return Warehouse.of(warehouse).directory / LOCK_NAME


@contextlib.contextmanager
def nightly_lock(warehouse: Warehouse | Path) -> Iterator[Path]:
    """Hold the warehouse's nightly lock for the body; raise LockBusy at once if it is taken."""
    path = lock_path(warehouse)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = os.pread(fd, 200, 0).decode("utf-8", "replace").strip()
            raise LockBusy(path, holder) from None
        started = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"pid {os.getpid()} since {started}\n".encode(), 0)
        try:
            yield path
        finally:
            # Still holding the lock, say it is free: a reader must not take a finished run for
            # a stale holder. (Rewriting after close would race a new holder.)
            ended = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
            os.ftruncate(fd, 0)
            os.pwrite(fd, f"free; last held by pid {os.getpid()} from {started} to {ended}\n"
                      .encode(), 0)
    finally:
        # Closing the descriptor releases the lock.
        os.close(fd)
