"""Shared fixtures: a demo database built once per test session, and fresh empty ones."""

from __future__ import annotations

import os
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

from kam_core import demo
from kam_core.db import Database, close_all

FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture(scope="session")
def demo_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("demo") / "demo.duckdb"
    db = Database(path)
    demo.build(db, end=date(2026, 10, 1), user="tester")
    db.close()
    return path


@pytest.fixture(scope="session")
def demo_db(demo_path: Path) -> Iterator[Database]:
    """Read-only use: the shared demo database."""
    db = Database(demo_path)
    yield db
    db.close()


@pytest.fixture
def empty_db(tmp_path: Path) -> Iterator[Database]:
    db = Database(tmp_path / "empty.duckdb")
    yield db
    db.close()


@pytest.fixture
def app_env(demo_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Point the app at a private copy of the demo database."""
    close_all()
    path = tmp_path / "app.duckdb"
    path.write_bytes(demo_path.read_bytes())
    monkeypatch.setenv("KAM_DB", str(path))
    yield path
    close_all()


def pytest_configure(config: pytest.Config) -> None:
    os.environ.setdefault("KAM_USER", "tester")
    # Writers warm the stored derived results (kam_core.derived) in a thread or before a command exits: off in
    # the suite (a result computed behind a test's back makes call counts and timings vary); its own tests and
    # the browser tests' servers turn it on.
    os.environ.setdefault("KAM_WARM", "0")
