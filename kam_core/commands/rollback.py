"""``rollback UPLOAD_ID [--with-later]``: undo an upload and restore exactly what it replaced.

``--with-later``: when later uploads replaced part of it, they go back too, newest first, in one transaction.
"""

from __future__ import annotations

import argparse

from kam_core import ingest
from kam_core.commands import Rejected, acting_user, open_db
from kam_core.errors import UserError

NAME = "rollback"
HELP = "roll back an upload: remove its rows, restore what it replaced"
WRITES = True


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("upload_id", type=int)
    p.add_argument(
        "--with-later",
        action="store_true",
        help="also roll back the later uploads that replaced part of it, newest first, in one transaction",
    )
    p.add_argument("--lang", choices=["en", "zh"], default="en")


def run(args: argparse.Namespace) -> dict:
    db = open_db(args, must_exist=True)
    try:
        return ingest.rollback(db, args.upload_id, acting_user(args), with_later=args.with_later)
    except UserError as e:  # IngestError included
        raise Rejected(e.message(args.lang)) from e
    finally:
        db.close()
