"""``restore DIR [--db PATH] [--force]``: a backup into a fresh file, renamed over the target when complete.

Refuses a damaged backup (a file missing or not matching its checksum), one from a newer schema,
and a target that holds data unless ``--force``.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from kam_core import backup as bk
from kam_core import handover
from kam_core.commands import acting_user
from kam_core.db import default_path

NAME = "restore"
HELP = "restore a backup directory into a database file (refused when it holds data, unless --force)"
WRITES = True
PATHS = ("dir",)


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("dir", metavar="DIR", help="the backup directory (with manifest.json)")
    p.add_argument("--force", action="store_true", help="replace a database that holds data")


def run(args: argparse.Namespace) -> dict:
    target = Path(args.db or default_path())
    served = handover.served()
    if served is not None and handover.key(served.path) == handover.key(target):
        # the app holds this very file: replacing it under the app's connection is not done
        bk.verify(args.dir)
        raise bk.BackupError("backup.err.served", path=str(target))
    return bk.restore(args.dir, target, acting_user(args), force=args.force)


def human(out: dict) -> str:
    return f"restored {out['from']} into {out['db']}: {sum(out['rows'].values()):,} rows"
