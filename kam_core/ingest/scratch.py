"""Private scratch space of the ingest: uploaded copies, transcoded text, staging spill, reader output.

Everything lives under ``<system temp>/kam_<uid>/<pid>-<start>/`` — folders 0700, files 0600, so
no other local user can read an uploaded file. Each process has its own folder, removed when it
exits normally; the folder of a process that died (killed import, crashed server) is removed by
the next process that needs scratch space, because its PID (and start time) is gone.
"""

from __future__ import annotations

import atexit
import os
import shutil
import stat
import tempfile
import threading
import time
from pathlib import Path

_lock = threading.Lock()
_mine: Path | None = None


def _start_time(pid: int) -> str | None:
    """The kernel's start time of a process (Linux), so a reused PID is not taken for the old process."""
    try:
        with open(f"/proc/{pid}/stat", "rb") as fh:
            data = fh.read()
        return data[data.rfind(b")") + 2 :].split()[19].decode()
    except (OSError, IndexError):
        return None


def _alive(pid: int, start: str | None) -> bool:
    if os.path.isdir("/proc/self"):
        now = _start_time(pid)
        return now is not None and (start is None or now == start)
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def root() -> Path:
    """``<temp>/kam_<uid>``: created 0700; refused if it exists with other owner or wider rights."""
    base = Path(tempfile.gettempdir()) / f"kam_{os.getuid()}"
    try:
        base.mkdir(mode=0o700)
    except FileExistsError:
        pass
    st = os.lstat(base)
    if not stat.S_ISDIR(st.st_mode) or st.st_uid != os.getuid():
        raise PermissionError(f"{base} is not a folder of this user; remove it")
    if stat.S_IMODE(st.st_mode) != 0o700:
        os.chmod(base, 0o700)
    return base


def sweep(base: Path | None = None) -> list[Path]:
    """Remove the folders of processes that are gone; returns what was removed."""
    base = base or root()
    gone = []
    for d in base.iterdir():
        pid, _, start = d.name.partition("-")
        if not pid.isdigit() or int(pid) == os.getpid():
            continue
        if not _alive(int(pid), start or None):
            shutil.rmtree(d, ignore_errors=True)
            gone.append(d)
    return gone


def process_dir() -> Path:
    """This process's scratch folder (0700), created on first use; stale ones of dead processes removed then."""
    global _mine
    with _lock:
        if _mine is not None and _mine.is_dir():
            return _mine
        base = root()
        sweep(base)
        pid = os.getpid()
        d = base / f"{pid}-{_start_time(pid) or 0}"
        d.mkdir(mode=0o700, exist_ok=True)
        os.chmod(d, 0o700)
        if _mine is None:
            atexit.register(lambda: shutil.rmtree(d, ignore_errors=True))
        _mine = d
        return d


def reap_dirs(prefix: str, max_idle: float) -> list[Path]:
    """Remove this process's scratch folders named ``prefix…`` not modified for ``max_idle`` seconds."""
    now, gone = time.time(), []
    for d in process_dir().iterdir():
        try:
            if d.name.startswith(prefix) and now - d.stat().st_mtime > max_idle:
                shutil.rmtree(d, ignore_errors=True)
                gone.append(d)
        except FileNotFoundError:
            continue
    return gone


def private_dir(prefix: str = "kam_") -> Path:
    """A new folder (0700) inside this process's scratch folder; the caller removes it."""
    return Path(tempfile.mkdtemp(prefix=prefix, dir=process_dir()))


def write_private(path: Path, data: bytes) -> Path:
    """Write ``data`` to a new file readable by this user only (0600)."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "wb") as fh:
        fh.write(data)
    return path


def open_private(path: Path, mode: str = "w", **kw: object):
    """Open a new file 0600 (text or binary ``mode``: "w" / "wb")."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    return os.fdopen(fd, mode, **kw)  # type: ignore[call-overload]
