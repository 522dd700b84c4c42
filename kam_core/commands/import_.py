"""``import FILE``: load a sales / accounts / stores / receivables file (spec §3, §9).

Streams: the file is hashed and transcoded in chunks and read by DuckDB, so files far
larger than the browser limit work; a progress bar shows on a terminal.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from kam_core import ingest
from kam_core.commands import Rejected, acting_user, open_db
from kam_core.errors import UserError
from kam_core.i18n import t
from kam_core.ingest.mapping import field_names

NAME = "import"
HELP = "import a data file (CSV/TSV/TXT/XLSX/XLS); --dry-run shows what would change"
WRITES = True
PATHS = ("file",)


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("file", help="the file to import")
    p.add_argument("--kind", choices=ingest.KINDS, default="sales", help="what the file holds (default sales)")
    p.add_argument("--sheet", help="Excel sheet (default: the sheet that holds the data)")
    p.add_argument("--map", action="append", default=[], metavar="FIELD=HEADER",
                   help="map a field to a column of the file (repeatable; FIELD= removes it)")  # fmt: skip
    p.add_argument("--template", help="use the saved mapping template of this name")
    p.add_argument("--save-template", metavar="NAME", help="save the mapping used as a template")
    p.add_argument("--dry-run", action="store_true", help="check and preview only; write nothing")
    p.add_argument("--skip-invalid", action="store_true", help="load the valid rows even if some are rejected")
    p.add_argument("--replace", choices=list(ingest.SCOPES), default="pairs", dest="scope",
                   help="what a sales upload replaces: the (month, account) pairs of the file (default) or every "
                        "stored row of its months (a complete re-export)")  # fmt: skip
    p.add_argument("--keep-demo", action="store_true",
                   help="keep the demo dataset (by default the first real sales upload removes it)")  # fmt: skip
    p.add_argument("--lang", choices=["en", "zh"], default="en", help="language of the messages")


def plain(v: object) -> object:
    """JSON-friendly containers; Decimal amounts stay Decimal (kam_core.cli.dumps writes them exactly)."""
    if isinstance(v, dict):
        return {k: plain(x) for k, x in v.items()}
    if isinstance(v, list):
        return [plain(x) for x in v]
    return v


def _overrides(args: argparse.Namespace) -> dict[str, str | None]:
    out: dict[str, str | None] = {}
    fields = field_names(args.kind)
    for item in args.map:
        if "=" not in item:
            raise Rejected(t("upload.err.map_arg", args.lang, arg=item))
        k, v = item.split("=", 1)
        k = k.strip()
        if k not in fields:
            raise Rejected(t("upload.err.unknown_field", args.lang, field=k, kind=args.kind, fields=", ".join(fields)))
        out[k] = v.strip() or None
    return out


class _Bar:
    """tqdm on a terminal, silent otherwise (JSON and logs stay clean)."""

    def __init__(self) -> None:
        self.bar = None
        if sys.stderr.isatty():
            from tqdm import tqdm

            self.bar = tqdm(total=100, unit="%", file=sys.stderr, leave=False, bar_format="{l_bar}{bar}| {n:.0f}%")

    def __call__(self, fraction: float, label: str) -> None:
        if self.bar is not None:
            self.bar.set_description(label)
            self.bar.update(max(0.0, fraction * 100 - self.bar.n))

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()


def run(args: argparse.Namespace) -> dict:
    """With --json a refusal still prints one JSON object on stdout (with ``error``); exit code 1."""
    try:
        return _run(args)
    except UserError as e:
        if args.json and not getattr(e, "_printed", False):
            print(json.dumps({"file": args.file, "error": e.message(args.lang), "upload_id": None}, ensure_ascii=False))
        raise


def _run(args: argparse.Namespace) -> dict:
    path = Path(args.file)
    if not path.is_file():
        raise Rejected(t("upload.err.no_file", args.lang, file=args.file))
    overrides = _overrides(args)
    db = open_db(args)
    bar = _Bar()
    try:
        user = acting_user(args)
        mapping = None
        if args.template:
            tpl = ingest.template_named(db, args.kind, args.template)
            if tpl is None:
                raise Rejected(f"no mapping template {args.template!r} for {args.kind}")
            mapping = tpl["mapping"]
        try:
            with ingest.stage(
                path, args.kind, sheet=args.sheet, mapping=mapping, overrides=overrides, lang=args.lang,
                max_bytes=ingest.max_bytes(db, "cli"), absurd=ingest.absurd_limit(db), db=db,
                progress=lambda f, s: bar(0.6 * f, s),
            ) as st:  # fmt: skip
                p = ingest.preview(db, st, not args.keep_demo, args.scope)
                if args.dry_run:
                    return {**p.to_json(), "dry_run": True}
                blockers = ingest.commit_blockers(p, user=user, skip_invalid=args.skip_invalid)
                if blockers:
                    if blockers[0].key == "upload.err.rejected_rows":
                        _report_refusal(args, {**p.to_json(), "error": blockers[0].message(args.lang)})
                        err = Rejected(blockers[0].message(args.lang))
                        err._printed = True  # type: ignore[attr-defined]
                        raise err
                    raise blockers[0]
                out = ingest.commit(
                    db, st, user, skip_invalid=args.skip_invalid, remove_demo=not args.keep_demo,
                    template=args.save_template or args.template, progress=lambda f, s: bar(0.6 + 0.4 * f, s),
                    scope=args.scope,
                )  # fmt: skip
                return out.to_json()
        except Rejected:
            raise
        except UserError as e:  # IngestError and every other refused input
            raise Rejected(e.message(args.lang)) from e
    finally:
        bar.close()
        db.close()


def _report_refusal(args: argparse.Namespace, out: dict[str, object]) -> None:
    """The rejected rows go out even though the import is refused: JSON on stdout, text on stderr."""
    if args.json:
        from kam_core.cli import dumps

        print(dumps(out))
    else:
        for r in out["rejected"][:50]:
            print(f"row {r['row']}, {r['column']}: {r['reason']}", file=sys.stderr)


def human(out: dict) -> str:
    """The text shown without --json (from the JSON fields of the preview / commit)."""
    lines = []
    if out.get("dry_run"):
        lines.append(t("upload.cli.dry", "en", rows=out["rows_valid"], rejected=out["rows_rejected"]))
    else:
        lines.append(t("upload.cli.loaded", "en", id=out["upload_id"], rows=out["rows_loaded"],
                       rejected=out["rows_rejected"], skipped=out["rows_summary"]))  # fmt: skip
    lines.append(f"format: {out['format']}")
    if out.get("periods"):
        lines.append(f"periods: {month_span([p[:7] for p in out['periods']], 'en')}")
    if out.get("accounts_new"):
        lines.append(f"new accounts (unreviewed): {', '.join(out['accounts_new'][:20])}")
    if "replace_scope" in out:
        lines.append(f"replace scope: {out['replace_scope']} (suggested: {out['suggested_scope']})")
    for r in out.get("changed_pairs", [])[:50]:
        lines.append(f"changes {r['period'][:7]} {r['account']}: {r['before']:,.2f} → {r['revenue']:,.2f}")
    if out.get("unchanged_pairs"):
        lines.append(f"{out['unchanged_pairs']} replaced pairs keep the same revenue")
    for r in out.get("new_pairs", [])[:20]:
        lines.append(f"new {r['period'][:7]} {r['account']}: {r['revenue']:,.2f}")
    for r in out.get("kept_pairs", [])[:50]:
        lines.append(f"keeps {r['period'][:7]} {r['account']}: {r['revenue']:,.2f} (not in the file)")
    for r in out.get("removed_pairs", [])[:50]:
        lines.append(f"removes {r['period'][:7]} {r['account']}: {r['revenue']:,.2f} (not in the file)")
    if out.get("demo_revenue"):
        lines.append(f"the demo data ({out['demo_revenue']:,.2f}) is removed")
    if "change" in out:
        lines.append(f"total revenue: {out['total_before']:,.2f} → {out['total_after']:,.2f} "
                     f"(change of your data {out['change']:+,.2f})")  # fmt: skip
    for v in out.get("foreign_provinces", []):
        lines.append(f"not a Chinese province: {v['value']} ({v['rows']} lines, {v['revenue']:,.2f}) — kept, no region")
    for v in out.get("unknown_regions", []):
        lines.append(f"not one of our regions: {v['value']} ({v['rows']} lines, {v['revenue']:,.2f}) — kept as written")
    if out.get("rejected_revenue") is not None:
        lines.append(f"revenue of the rejected rows: {out['rejected_revenue']:,.2f}")
    for r in out.get("rejected", [])[:50]:
        lines.append(f"rejected row {r['row']}, {r['column']}: {r['reason']}")
    for r in out.get("warnings", [])[:20]:
        lines.append(f"warning row {r['row']}, {r['column']}: {r['reason']}")
    lines.extend(out.get("notes", []))
    return "\n".join(lines)


def month_span(months: list[str], lang: str = "en", most: int = 3) -> str:
    """'2026-03' / '2026-01, 2026-03' / '2010-12 … 2011-12 (13 months)': long month lists shortened."""
    if len(months) <= most:
        return ", ".join(months)
    return t("upload.months_span", lang, first=months[0], last=months[-1], n=len(months))
