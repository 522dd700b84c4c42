"""Start the app as a user runs it — `streamlit run app.py` on a free port — until the block ends.

One launcher for the browser tests (tests/e2e) and the browser benchmark (bench/browser.py): the
server is up when ``/_stcore/health`` answers; it is stopped (terminate, then kill) on every exit.
Imports nothing from pytest, so the benchmark can use it outside a test run.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class Server:
    url: str
    db: Path
    proc: subprocess.Popen = field(repr=False)


@contextmanager
def run_server(db: Path, user: str | None = "e2e", *, port: int | None = None, args: tuple[str, ...] = (),
               env: Mapping[str, str] | None = None, log_path: Path | None = None,
               timeout: float = 60) -> Iterator[Server]:  # fmt: skip
    """`python serve.py` (`streamlit run app.py`, the app's modules loaded first) on a free port (or ``port``)
    against ``db``, until the block ends.

    ``user``: the local-mode name (KAM_USER; None leaves it unset); ``args``: more `streamlit run` options;
    ``env``: more environment (e.g. ``{"KAM_DEMO": "0"}``); the server's output goes to ``log_path``
    (default: next to ``db``, suffix .log); ``timeout``: seconds it may take to answer.
    """
    port = port or free_port()
    # (the server as users run it: writes warm the derived results, whatever the test suite's default)
    environ = {k: v for k, v in os.environ.items() if k != "KAM_USER"}
    environ |= {"KAM_DB": str(db), "KAM_WARM": "1", **(env or {})}
    if user is not None:
        environ["KAM_USER"] = user
    log = open(log_path or db.with_suffix(".log"), "w")
    proc = subprocess.Popen(
        [sys.executable, "serve.py", "--server.port", str(port),  # (streamlit run app.py, modules loaded first)
         "--server.headless", "true", "--server.address", "127.0.0.1", "--browser.gatherUsageStats", "false",
         *args],
        cwd=ROOT, env=environ, stdout=log, stderr=subprocess.STDOUT,
    )  # fmt: skip
    url = f"http://127.0.0.1:{port}"
    deadline = time.time() + timeout
    try:
        while True:
            try:
                urllib.request.urlopen(url + "/_stcore/health", timeout=2)
                break
            except OSError:
                if time.time() > deadline or proc.poll() is not None:
                    raise RuntimeError(f"streamlit did not start; see {log.name}") from None
                time.sleep(0.2)
        yield Server(url, db, proc)
    finally:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        log.close()
