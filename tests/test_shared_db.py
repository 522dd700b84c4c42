"""The command line beside a process that holds the database (the app): commands are handed over.

This test process plays the app (it holds the file and serves it, as ui/data.py does); the CLI runs
in subprocesses, as cron / an ERP export would run it.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from decimal import Decimal
from pathlib import Path

import pytest

from kam_core import handover
from kam_core.db import Database
from kam_core.i18n import t

ROOT = Path(__file__).resolve().parent.parent


def cli(*argv: str, cwd: Path = ROOT, env: dict | None = None, timeout: float = 120) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "kam_core", *argv], cwd=cwd, capture_output=True, text=True, timeout=timeout,
        env={**os.environ, "PYTHONPATH": str(ROOT), **(env or {})},
    )  # fmt: skip


@pytest.fixture(autouse=True)
def runtime_dir(monkeypatch: pytest.MonkeyPatch):
    """A private socket directory per test, with a short path (a Unix socket's path holds ~108 bytes)."""
    d = tempfile.mkdtemp(prefix="kam", dir="/tmp")
    monkeypatch.setenv("KAM_RUNTIME_DIR", d)
    yield Path(d)
    shutil.rmtree(d, ignore_errors=True)


@pytest.fixture
def served(tmp_path: Path):
    db = Database(tmp_path / "app.duckdb")
    handover.serve(db)
    yield db
    db.close()


def total(db: Database) -> Decimal:
    return db.scalar("SELECT coalesce(sum(revenue), 0) FROM sales")


def write_csv(path: Path, rows: list[tuple[str, str, str]]) -> Path:
    path.write_text("period,account,revenue\n" + "".join(f"{p},{a},{r}\n" for p, a, r in rows), encoding="utf-8")
    return path


def test_every_kind_of_command_works_while_the_file_is_held(served: Database, tmp_path: Path) -> None:
    db = served
    before = db.data_version()
    f = write_csv(tmp_path / "march.csv", [("2026-03", "Carrefour", "1000.11"), ("2026-03", "Metro", "515.55")])
    # a relative file name is the CLI's (its cwd), not the app's
    dry = cli("import", "march.csv", "--db", str(db.path), "--dry-run", "--json", cwd=tmp_path)
    assert dry.returncode == 0, dry.stderr
    assert json.loads(dry.stdout)["dry_run"] is True
    assert db.data_version() == before  # nothing written

    r = cli("import", str(f), "--db", str(db.path), "--json", "--user", "erp")
    assert r.returncode == 0, r.stderr
    out = json.loads(r.stdout)
    assert out["rows_loaded"] == 2
    # the holder sees the change at once, on its own connection
    assert db.data_version() > before
    assert total(db) == Decimal("1515.66")
    assert db.scalar("SELECT user_name FROM uploads WHERE id = ?", [out["upload_id"]]) == "erp"

    up = cli("uploads", "--db", str(db.path), "--json")
    assert up.returncode == 0, up.stderr
    assert [u["id"] for u in json.loads(up.stdout)] == [out["upload_id"]]

    # refused input: the same exit code and message as without an app
    again = cli("import", str(f), "--db", str(db.path), "--json")
    assert again.returncode == 1
    assert json.loads(again.stdout)["upload_id"] is None
    rb = cli("rollback", "999", "--db", str(db.path))
    assert rb.returncode == 1 and rb.stderr.startswith("error:")
    # a usage error never reaches the app
    assert cli("rollback", "--db", str(db.path)).returncode == 2

    # the default acting user is the CLI's OS user, not a blank
    s = cli("settings", "set", "display.currency", "USD", "--db", str(db.path))
    assert s.returncode == 0, s.stderr
    assert db.get_setting("display.currency") == "USD"
    assert db.scalar("SELECT user_name FROM audit_log ORDER BY logged_at DESC LIMIT 1")

    rolled = cli("rollback", str(out["upload_id"]), "--db", str(db.path), "--json", "--user", "erp")
    assert rolled.returncode == 0, rolled.stderr
    assert total(db) == 0


def test_same_output_with_and_without_the_app(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "k.duckdb"
    f = write_csv(tmp_path / "a.csv", [("2026-01", "A", "0.10"), ("2026-01", "B", "0.20"), ("2026-02", "A", "7")])
    assert cli("import", str(f), "--db", str(path), "--user", "u").returncode == 0
    argvs = [["uploads", "--json"], ["pareto", "--json"], ["overview", "--json"], ["rollback", "99"],
             ["settings", "get", "display.currency", "--json"], ["pareto", "--by", "nonsense"]]  # fmt: skip
    direct = [cli(*a, "--db", str(path)) for a in argvs]
    db = Database(path)
    handover.serve(db)
    try:
        held = [cli(*a, "--db", str(path)) for a in argvs]
    finally:
        db.close()
    for a, d, h in zip(argvs, direct, held, strict=True):
        assert (h.returncode, h.stdout, h.stderr) == (d.returncode, d.stdout, d.stderr), a


def test_a_stale_socket_is_ignored(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """An app killed with -9 leaves its socket file; the next command opens the file itself."""
    path = tmp_path / "k.duckdb"
    Database(path).close()
    import socket

    s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    s.bind(str(handover.socket_path(path)))  # bound, never listening: connect is refused
    try:
        r = cli("uploads", "--db", str(path), "--json")
    finally:
        s.close()
    assert r.returncode == 0, r.stderr
    assert json.loads(r.stdout) == []


HOLD = """
import sys, time
from kam_core.db import Database, write_setting
db = Database(sys.argv[1])
with db.transaction("holder", "setting") as cur:
    write_setting(cur, "display.currency", "EUR", "holder")
    print("holding", flush=True)
    time.sleep(float(sys.argv[2]))
db.close()
"""


def test_a_reader_waits_for_a_process_holding_a_write(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture
) -> None:
    """No app: another process holds the file for a write transaction of a second or two; a read (this
    process) waits, then gets the value written (the retry path), with no error."""
    from kam_core import cli as kcli

    path = tmp_path / "k.duckdb"
    Database(path).close()
    env = {**os.environ, "PYTHONPATH": str(ROOT)}

    def hold(seconds: str) -> subprocess.Popen:
        return subprocess.Popen(
            [sys.executable, "-c", HOLD, str(path), seconds], stdout=subprocess.PIPE, text=True, env=env
        )

    holder = hold("1.5")
    try:
        assert holder.stdout.readline().strip() == "holding"
        t0 = time.monotonic()
        rc = kcli.main(["settings", "get", "display.currency", "--db", str(path), "--json"])
        waited = time.monotonic() - t0
    finally:
        holder.wait(60)
    out = capsys.readouterr()
    assert rc == 0, out.err
    assert out.err == ""
    assert json.loads(out.out)["value"] == "EUR"
    assert waited > 0.5  # it waited for the holder's commit

    # with no patience left, the refusal says what holds the file (exit 1, nothing written)
    monkeypatch.setenv("KAM_LOCK_WAIT", "0.1")
    holder = hold("3")
    try:
        assert holder.stdout.readline().strip() == "holding"
        rc = kcli.main(["uploads", "--db", str(path)])
    finally:
        holder.wait(60)
    assert rc == 1
    assert t("cli.err.locked", "en", path=str(path)) in capsys.readouterr().err


def _big_csv(path: Path, n: int) -> tuple[Path, Decimal]:
    """n lines over 12 months and 500 accounts with cents; the exact total computed here."""
    lines = ["period,account,revenue"]
    cents = 0
    for i in range(n):
        c = 10_000 + (i * 7919) % 900_001
        cents += c
        lines.append(f"2025-{i % 12 + 1:02d},ACC{i % 500:04d},{c // 100}.{c % 100:02d}")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path, Decimal(cents) / 100


def test_kill_9_mid_import_leaves_the_database_exact(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "k.duckdb"
    small = write_csv(tmp_path / "s.csv", [("2024-12", "Keep", "123.45"), ("2024-12", "Other", "0.01")])
    assert cli("import", str(small), "--db", str(path), "--user", "u").returncode == 0
    big, big_total = _big_csv(tmp_path / "big.csv", 300_000)

    def state() -> tuple:
        db = Database(path)
        try:
            return (
                total(db),
                db.scalar("SELECT count(*) FROM sales"),
                db.rows("SELECT id, status FROM uploads ORDER BY id"),
                db.data_version(),
            )
        finally:
            db.close()

    before = state()
    proc = subprocess.Popen(
        [sys.executable, "-m", "kam_core", "import", str(big), "--db", str(path), "--user", "u"],
        cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT)}, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    time.sleep(0.5)
    assert proc.poll() is None, "the import ended before the kill; make the file larger"
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait(10)
    assert state() == before

    r = cli("import", str(big), "--db", str(path), "--user", "u", "--json")
    assert r.returncode == 0, r.stderr
    after = state()
    assert after[0] == before[0] + big_total
    assert after[1] == before[1] + 300_000 or after[1] == before[1] + 500 * 12  # rows kept as lines or summed
    assert json.loads(r.stdout)["rows_loaded"] == 300_000
