"""The command line beside a running app: the app runs the CLI's commands for it.

DuckDB lets one process hold a database file (a read-only connection cannot coexist with a
writer in another process either), and the app holds its file for as long as it runs. So the
app that holds a file also listens on a Unix socket for it, and a CLI process that finds the
socket hands its command over: the same command code runs in the app's process, on the app's
connection, and its stdout, stderr and exit code are streamed back unchanged. Readers in the app
keep their snapshots (MVCC: never a lock error, never half an import) and see the new data
version at once. Without an app the CLI opens the file itself, as before.

The socket lives in a private directory (mode 0700, owned by the user) and the app accepts only
peers of its own user id (SO_PEERCRED), so a job runs with exactly the rights of the CLI's user.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import json
import os
import socket
import struct
import sys
import tempfile
import threading
from collections.abc import Callable, Iterator
from contextvars import ContextVar
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

if TYPE_CHECKING:
    from kam_core.db import Database

_SERVED: ContextVar[Database | None] = ContextVar("kam_served", default=None)
_SERVERS: dict[str, _Server] = {}
_LOCK = threading.RLock()


def key(path: str | Path) -> str:
    return str(Path(path).expanduser().resolve())


def socket_dir() -> Path:
    """A directory only this user can enter ($XDG_RUNTIME_DIR, else the temp dir), made if missing."""
    base = Path(os.environ.get("KAM_RUNTIME_DIR") or os.environ.get("XDG_RUNTIME_DIR") or tempfile.gettempdir())
    d = base / f"kam-{os.getuid()}"
    d.mkdir(mode=0o700, exist_ok=True)
    st = d.lstat()
    if st.st_uid != os.getuid() or st.st_mode & 0o077 or not d.is_dir() or d.is_symlink():
        raise PermissionError(f"{d} must be a directory owned by you with mode 0700")
    return d


def socket_path(db_path: str | Path) -> Path:
    # sun_path holds ~108 bytes: a hash of the database path, not the path itself
    return socket_dir() / f"{hashlib.sha256(key(db_path).encode()).hexdigest()[:24]}.sock"


def served() -> Database | None:
    """The app's Database when the current code runs a job handed over by a CLI process."""
    return _SERVED.get()


# -- streams: each job thread writes to its own client, every other thread to the real stream ---
class _ThreadStream(io.TextIOBase):
    def __init__(self, real: TextIO) -> None:
        self.real = real
        self.local = threading.local()

    def _sink(self) -> Callable[[str], None] | None:
        return getattr(self.local, "sink", None)

    def write(self, s: str) -> int:
        sink = self._sink()
        if sink is None:
            return self.real.write(s)
        sink(s)
        return len(s)

    def flush(self) -> None:
        if self._sink() is None:
            self.real.flush()

    def isatty(self) -> bool:
        return False if self._sink() is not None else self.real.isatty()

    def fileno(self) -> int:
        return self.real.fileno()

    @property
    def encoding(self) -> str:  # type: ignore[override]
        return "utf-8" if self._sink() is not None else getattr(self.real, "encoding", "utf-8")


class _ThreadStdin(io.TextIOBase):
    def __init__(self, real: TextIO) -> None:
        self.real = real
        self.local = threading.local()

    def _src(self) -> io.StringIO | None:
        return getattr(self.local, "src", None)

    def read(self, n: int | None = -1) -> str:
        src = self._src()
        return self.real.read(n) if src is None else src.read(n)

    def readline(self, n: int = -1) -> str:  # type: ignore[override]
        src = self._src()
        return self.real.readline(n) if src is None else src.readline(n)

    def isatty(self) -> bool:
        return False if self._src() is not None else self.real.isatty()


def _install_streams() -> tuple[_ThreadStream, _ThreadStream, _ThreadStdin]:
    if not isinstance(sys.stdout, _ThreadStream):
        sys.stdout = _ThreadStream(sys.stdout)
    if not isinstance(sys.stderr, _ThreadStream):
        sys.stderr = _ThreadStream(sys.stderr)
    if not isinstance(sys.stdin, _ThreadStdin):
        sys.stdin = _ThreadStdin(sys.stdin)
    return sys.stdout, sys.stderr, sys.stdin  # type: ignore[return-value]


# -- the app's side ---------------------------------------------------------------------------
def _send(conn: socket.socket, msg: dict[str, Any]) -> None:
    conn.sendall(json.dumps(msg, ensure_ascii=False).encode() + b"\n")


def _lines(conn: socket.socket) -> Iterator[dict[str, Any]]:
    buf = b""
    while True:
        chunk = conn.recv(65536)
        if not chunk:
            return
        buf += chunk
        while b"\n" in buf:
            line, buf = buf.split(b"\n", 1)
            yield json.loads(line)


class _Server:
    def __init__(self, db: Database, run_job: Callable[[dict[str, Any]], int]) -> None:
        self.db = db
        self.run_job = run_job
        self.path = socket_path(db.path)
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        # this process holds the database file, so a socket file left here is stale (its app died)
        self.path.unlink(missing_ok=True)
        self.sock.bind(str(self.path))
        os.chmod(self.path, 0o600)
        self.sock.listen(16)
        threading.Thread(target=self._accept, name=f"kam-handover-{self.path.name}", daemon=True).start()

    def _accept(self) -> None:
        while True:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return  # closed
            threading.Thread(target=self._serve, args=(conn,), daemon=True).start()

    def _serve(self, conn: socket.socket) -> None:
        with conn:
            creds = conn.getsockopt(socket.SOL_SOCKET, socket.SO_PEERCRED, struct.calcsize("3i"))
            _pid, uid, _gid = struct.unpack("3i", creds)
            if uid != os.getuid():
                return
            try:
                req = next(_lines(conn))
            except (StopIteration, ValueError, OSError):
                return
            if getattr(self.db, "_closed", False):
                _send(conn, {"gone": True})
                self.close()
                return
            gone = threading.Event()

            def sink(kind: str) -> Callable[[str], None]:
                def write(s: str) -> None:
                    if s and not gone.is_set():
                        try:
                            _send(conn, {kind: s})
                        except OSError:  # the CLI went away: the job still runs to its end (or not at all)
                            gone.set()

                return write

            with _LOCK:  # (again: a test runner may have swapped sys.stdout since)
                out, err, inp = _install_streams()
            out.local.sink, err.local.sink = sink("out"), sink("err")
            inp.local.src = io.StringIO(req.get("stdin") or "")
            token = _SERVED.set(self.db)
            try:
                rc = self.run_job(req)
            except SystemExit as e:  # argparse / a command's usage error
                rc = e.code if isinstance(e.code, int) else 2
            except BaseException as e:  # a programming error: reported to the CLI, the app keeps serving
                import traceback

                err.write("".join(traceback.format_exception(e)))
                rc = 1
            finally:
                _SERVED.reset(token)
                out.local.sink = err.local.sink = None
                inp.local.src = None
            with contextlib.suppress(OSError):
                _send(conn, {"exit": rc})

    def close(self) -> None:
        with _LOCK:
            if _SERVERS.get(key(self.db.path)) is self:
                del _SERVERS[key(self.db.path)]
        with contextlib.suppress(OSError):
            self.sock.shutdown(socket.SHUT_RDWR)  # wakes the accept() of the listening thread
        with contextlib.suppress(OSError):
            self.sock.close()
        with contextlib.suppress(OSError):
            self.path.unlink()


def serve(db: Database) -> None:
    """Run the CLI's commands for ``db`` in this process (the app calls this once it holds the file)."""
    if str(db.path) == ":memory:" or os.environ.get("KAM_HANDOVER", "1") == "0":
        return
    from kam_core.cli import run_job

    with _LOCK:
        cur = _SERVERS.get(key(db.path))
        if cur is not None and cur.db is db:
            return
        if cur is not None:
            cur.close()
        _SERVERS[key(db.path)] = _Server(db, run_job)


def stop(db: Database) -> None:
    with _LOCK:
        cur = _SERVERS.get(key(db.path))
    if cur is not None and cur.db is db:
        cur.close()


# -- the CLI's side ---------------------------------------------------------------------------
def hand_over(db_path: str | Path, argv: list[str], stdin: str | None = None) -> int | None:
    """Run ``argv`` in the app that holds ``db_path``; its exit code, or None when no app serves it."""
    try:
        path = socket_path(db_path)
    except OSError:
        return None
    if not path.exists():
        return None
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    try:
        sock.connect(str(path))
    except OSError:  # refused: a socket file left by an app that is gone
        sock.close()
        return None
    from kam_core.db import os_user

    with sock:
        _send(sock, {"argv": argv, "cwd": os.getcwd(), "user": os_user(), "stdin": stdin})
        for msg in _lines(sock):
            if "out" in msg:
                sys.stdout.write(msg["out"])
            elif "err" in msg:
                sys.stderr.write(msg["err"])
            elif msg.get("gone"):
                return None
            elif "exit" in msg:
                sys.stdout.flush()
                return int(msg["exit"])
    # the app stopped during the job: the job's transaction either committed or rolled back
    print("error: the app serving the database stopped while running this command; check its result", file=sys.stderr)
    return 1
