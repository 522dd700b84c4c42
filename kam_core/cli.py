"""Command line: ``python -m kam_core COMMAND``. Exit codes: 0 ok, 1 rejected input, 2 usage error.

Commands are the modules of kam_core.commands. JSON (``--json``) goes to stdout only;
diagnostics go to stderr. While the app runs on the database, a command is handed to the app
and runs there (kam_core.handover), with the same output and exit code.
"""

from __future__ import annotations

import argparse
import importlib
import inspect
import io
import json
import os
import pkgutil
import re
import secrets
import sys
import time
from collections.abc import Sequence
from decimal import Decimal
from pathlib import Path
from types import ModuleType

from kam_core import commands, handover
from kam_core.commands import DatabaseBusy
from kam_core.db import default_path
from kam_core.errors import UserError
from kam_core.i18n import LANGS, t


def _modules() -> dict[str, ModuleType]:
    mods = {}
    for m in sorted(pkgutil.iter_modules(commands.__path__), key=lambda m: m.name):
        mod = importlib.import_module(f"{commands.__name__}.{m.name}")
        mods[mod.NAME] = mod
    return mods


def build_parser(mods: dict[str, ModuleType]) -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m kam_core", description="KAM Dashboard command line")
    sub = parser.add_subparsers(dest="command", required=True)
    for name, mod in mods.items():
        p = sub.add_parser(name, help=mod.HELP, description=mod.HELP)
        p.add_argument("--db", help="database file (default: $KAM_DB or data/kam.duckdb)")
        p.add_argument("--json", action="store_true", help="print JSON on stdout")
        p.add_argument("--as", dest="as_user", metavar="EMAIL", help="act with this user's rights")  # [auth hook]
        if getattr(mod, "WRITES", False):
            p.add_argument("--user", help="who makes the change (default: the OS user)")
        mod.add_arguments(p)
        if not any("--lang" in a.option_strings for a in p._actions):
            p.add_argument("--lang", choices=list(LANGS), default="en", help="language of messages (default en)")
    return parser


def _human(out: object) -> str:
    if isinstance(out, dict):
        return "\n".join(f"{k}: {v}" for k, v in out.items())
    if isinstance(out, list):
        return "\n".join(_human(x) if isinstance(x, dict) else str(x) for x in out)
    return str(out)


def dumps(out: object) -> str:
    """JSON for stdout: Decimal amounts as exact numbers (…515.55 stays 515.55), dates as text.

    json cannot write a Decimal as a number, so each is written as a marked string (a random
    marker per call, so no text from data can imitate it) and the marks are then removed.
    """
    mark = secrets.token_hex(8)

    def default(o: object) -> object:
        if isinstance(o, Decimal):
            if not o.is_finite():
                return None
            return f"{mark}{format(o.normalize(), 'f') if o != 0 else '0'}"
        return str(o)

    text = json.dumps(out, ensure_ascii=False, default=default)
    return re.sub(f'"{mark}(-?[0-9.]+)"', r"\1", text)


def lock_wait() -> float:
    """Seconds a command waits for a database another process holds ($KAM_LOCK_WAIT, default 30)."""
    try:
        return float(os.environ.get("KAM_LOCK_WAIT", "30"))
    except ValueError:
        return 30.0


def _paths(mod: ModuleType, args: argparse.Namespace) -> list[str]:
    """The destinations of ``args`` that name files (a module's PATHS: a tuple, or a function of the args)."""
    paths = getattr(mod, "PATHS", ())
    return list(paths(args) if callable(paths) else paths)


def _run(mod: ModuleType, args: argparse.Namespace) -> int:
    try:
        out = mod.run(args)
    except UserError as e:  # the one place refused input becomes exit 1 (nothing was written)
        lang = getattr(args, "lang", "en") or "en"
        print(t("cli.error", lang, message=e.message(lang)), file=sys.stderr)
        return 1
    try:
        if args.json:
            print(dumps(out))
        else:
            human = getattr(mod, "human", _human)
            # a command's text may need the run's context (e.g. the currency it read): human(out, args)
            wants_args = len(inspect.signature(human).parameters) > 1
            print(human(out, args) if wants_args else human(out))
        sys.stdout.flush()
    except BrokenPipeError:  # `… | head`: the reader left; not an error of ours
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    return 0


def run_job(req: dict) -> int:
    """A command handed over by a CLI process (kam_core.handover), run in the app on the app's database."""
    mods = _modules()
    args = build_parser(mods).parse_args(req["argv"])
    mod = mods[args.command]
    db = handover.served()
    if db is not None:
        args.db = str(db.path)
    cwd = Path(req.get("cwd") or ".")
    for dest in _paths(mod, args):
        v = getattr(args, dest, None)
        if isinstance(v, str) and v and v != "-":
            setattr(args, dest, str(cwd / Path(v).expanduser()))  # a relative path is the CLI's, not the app's
    if not getattr(args, "user", None):
        args.user = req.get("user") or None  # the default acting user is the CLI's OS user
    return _run(mod, args)


def main(argv: Sequence[str] | None = None) -> int:
    mods = _modules()
    argv = list(sys.argv[1:] if argv is None else argv)
    args = build_parser(mods).parse_args(argv)  # exits 2 on usage errors
    mod = mods[args.command]
    if handover.served() is not None:
        return _run(mod, args)
    stdin = None
    if any(getattr(args, d, None) == "-" for d in _paths(mod, args)):
        stdin = sys.stdin.read()
    # The app holds its file while it runs: hand the command to it. Without an app, open the file here;
    # while another process holds it for a moment (an app starting, another command), wait and try again.
    db_path = Path(args.db or default_path())
    deadline = time.monotonic() + lock_wait()
    delay = 0.05
    while True:
        rc = handover.hand_over(db_path, argv, stdin)
        if rc is not None:
            return rc
        if stdin is not None:
            sys.stdin = io.StringIO(stdin)
        try:
            return _run(mod, args)
        except DatabaseBusy:
            if time.monotonic() > deadline:
                lang = getattr(args, "lang", "en") or "en"
                print(t("cli.error", lang, message=t("cli.err.locked", lang, path=str(db_path))), file=sys.stderr)
                return 1
            time.sleep(delay)
            delay = min(delay * 2, 1.0)
