"""CLI commands, one module each, discovered by kam_core.cli.

A command module defines:
    NAME: str                      the sub-command (``python -m kam_core NAME``)
    HELP: str                      one line for --help
    WRITES: bool                   True adds --user (who makes the change)
    add_arguments(p) -> None       its own arguments
    run(args) -> dict | list       the result (printed as JSON with --json); raise
                                   kam_core.errors.UserError (or Rejected) for refused input
                                   (exit 1, nothing written) — kam_core.cli catches it in one place
    human(result) -> str           optional: the text shown without --json
    PATHS: tuple[str, ...]         optional: the argument destinations that name files (or a function
                                   of the args giving them); made absolute when the app runs the command
"""

from __future__ import annotations

import argparse
from pathlib import Path

from kam_core import auth, derived, handover
from kam_core.db import Database, SchemaTooNewError, default_path, is_lock_error
from kam_core.errors import UserError
from kam_core.filters import Filters, parse_month


class DatabaseBusy(Exception):
    """Another process holds the database file for the moment; kam_core.cli waits and tries again."""


class Rejected(UserError):
    """Input refused; nothing was written (exit code 1). A catalog key or a plain sentence."""


def add_filter_arguments(p: argparse.ArgumentParser, *, period_required: bool = False, dims: bool = True) -> None:
    """The global filters as options: --from / --to (YYYY-MM), and --region / --channel / --kam (repeatable)."""
    p.add_argument("--from", dest="start", metavar="YYYY-MM", required=period_required, help="first month (inclusive)")
    p.add_argument("--to", dest="end", metavar="YYYY-MM", required=period_required, help="last month (inclusive)")
    if dims:
        p.add_argument("--region", action="append", default=[], help="only this region (repeatable)")
        p.add_argument("--channel", action="append", default=[], help="only this channel (repeatable)")
        p.add_argument("--kam", action="append", default=[], help="only this KAM (repeatable)")


def filters_from_args(args: argparse.Namespace) -> Filters:
    """The Filters of --from / --to / --region / --channel / --kam; a bad month or --from after --to is refused."""
    try:
        start = parse_month(args.start) if args.start else None
        end = parse_month(args.end) if args.end else None
    except ValueError as e:
        raise refused(e) from e
    if start and end and start > end:
        raise Rejected("filters.err.order", start=args.start, end=args.end)

    def listed(name: str) -> tuple[str, ...]:
        return tuple(getattr(args, name, None) or ())

    return Filters(start=start, end=end, regions=listed("region"), channels=listed("channel"), kams=listed("kam"))


def refused(e: Exception) -> UserError:
    """A refusal from kam_core, kept as it is when it already speaks both languages."""
    return e if isinstance(e, UserError) else Rejected(str(e))


def open_db(args: argparse.Namespace, must_exist: bool = False) -> Database:
    """The database named by --db (default $KAM_DB or data/kam.duckdb), with a clear error when it cannot be used.

    ``must_exist``: for commands that only read — a mistyped path is an error, not a new empty database.
    """
    path = Path(args.db or default_path())
    served = handover.served()
    if served is not None and handover.key(path) == handover.key(served.path):
        # a job handed over by a CLI process: the app's own connection, under the caller's --as rights
        return auth.cli_guard(served.borrowed(), args)
    if must_exist and not path.exists():
        raise Rejected("cli.err.no_db", path=str(path))
    try:
        db = Database(path)
    except SchemaTooNewError as e:
        raise Rejected("cli.err.schema_too_new", path=str(path), found=e.found, known=e.known) from e
    except Exception as e:  # duckdb.IOException: file locked by a running app, unreadable file …
        if is_lock_error(e):
            raise DatabaseBusy(str(path)) from e
        raise
    if derived.enabled():
        db.warm = "on_close"  # a command that changed data leaves the dashboards' results computed
    return auth.cli_guard(db, args)  # [auth hook] --as EMAIL: resolved, may read this command (closes it if not)


def acting_user(args: argparse.Namespace) -> str:
    return auth.cli_actor(args)  # [auth hook] --as EMAIL, else the local operator (--user or local:<os user>, admin)
