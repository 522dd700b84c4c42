"""Command line: ``python -m kam_core COMMAND``. Exit codes: 0 ok, 1 rejected input, 2 usage error.

Commands are the modules of kam_core.commands. JSON (``--json``) goes to stdout only;
diagnostics go to stderr.
"""

from __future__ import annotations

import argparse
import importlib
import json
import pkgutil
import re
import secrets
import sys
from collections.abc import Sequence
from decimal import Decimal
from types import ModuleType

from kam_core import commands
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


def main(argv: Sequence[str] | None = None) -> int:
    mods = _modules()
    args = build_parser(mods).parse_args(argv)  # exits 2 on usage errors
    mod = mods[args.command]
    try:
        out = mod.run(args)
    except UserError as e:  # the one place refused input becomes exit 1 (nothing was written)
        lang = getattr(args, "lang", "en") or "en"
        print(t("cli.error", lang, message=e.message(lang)), file=sys.stderr)
        return 1
    if args.json:
        print(dumps(out))
    else:
        print(getattr(mod, "human", _human)(out))
    return 0
