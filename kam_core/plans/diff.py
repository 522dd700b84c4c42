"""What changed between two plan documents, section by section.

Table rows are matched by a key — stakeholder and competitor by name, objective by id, action by
id (else its description), SWOT line by its text — so a changed row shows field-level changes
instead of a removal plus an addition. Single-value sections (relationship, vision, strategy,
own company) show their changed fields.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from kam_core.plans.model import QUADRANTS, PlanDoc, to_dict

# section → (key field of a row, label field) for table sections
_TABLES: dict[str, str] = {"competitors": "name", "stakeholders": "name", "objectives": "id", "actions": "id"}


@dataclass(frozen=True)
class FieldChange:
    field: str
    old: Any
    new: Any


@dataclass(frozen=True)
class RowChange:
    key: str
    fields: list[FieldChange]


@dataclass(frozen=True)
class SectionDiff:
    section: str  # e.g. "relationship", "swot.threats", "objectives"
    added: list[dict] = field(default_factory=list)  # rows (JSON form)
    removed: list[dict] = field(default_factory=list)
    changed: list[RowChange] = field(default_factory=list)  # tables: matched rows; others: key "" with fields

    @property
    def empty(self) -> bool:
        return not (self.added or self.removed or self.changed)

    def to_dict(self) -> dict:
        return {"section": self.section, "added": self.added, "removed": self.removed,
                "changed": [{"key": c.key, "fields": [{"field": f.field, "old": f.old, "new": f.new}
                                                      for f in c.fields]} for c in self.changed]}  # fmt: skip


def _fields(a: dict, b: dict, skip: tuple[str, ...] = ()) -> list[FieldChange]:
    return [
        FieldChange(k, a.get(k), b.get(k)) for k in dict.fromkeys([*a, *b]) if k not in skip and a.get(k) != b.get(k)
    ]


def _row_key(section: str, row: dict) -> str:
    if section.startswith("swot."):
        return str(row.get("text", "")).strip().casefold()
    k = _TABLES[section]
    if section == "actions" and not row.get("id"):
        return "description:" + str(row.get("description", "")).strip().casefold()
    return str(row.get(k, "")).strip().casefold()


def _label(section: str, row: dict) -> str:
    if section.startswith("swot."):
        return str(row.get("text", ""))
    if section == "actions":
        return str(row.get("id") or row.get("description", ""))
    return str(row.get(_TABLES[section], ""))


def _table(section: str, old: list[dict], new: list[dict]) -> SectionDiff:
    a = {_row_key(section, r): r for r in old}
    b = {_row_key(section, r): r for r in new}
    added = [r for k, r in b.items() if k not in a]
    removed = [r for k, r in a.items() if k not in b]
    changed = [RowChange(_label(section, b[k]), fs) for k in b if k in a and (fs := _fields(a[k], b[k]))]
    return SectionDiff(section, added, removed, changed)


def diff(a: PlanDoc, b: PlanDoc) -> list[SectionDiff]:
    """The sections that differ from ``a`` (older) to ``b`` (newer); [] when the documents are equal."""
    da, db_ = to_dict(a), to_dict(b)
    out: list[SectionDiff] = []
    for sec in ("relationship", "own_company"):
        if fs := _fields(da[sec], db_[sec]):
            out.append(SectionDiff(sec, changed=[RowChange("", fs)]))
    for sec in ("vision", "strategy"):
        if da[sec] != db_[sec]:
            out.append(SectionDiff(sec, changed=[RowChange("", [FieldChange(sec, da[sec], db_[sec])])]))
    for q in QUADRANTS:
        d = _table(f"swot.{q}", da["swot"][q], db_["swot"][q])
        if not d.empty:
            out.append(d)
    for sec in _TABLES:
        d = _table(sec, da[sec], db_[sec])
        if not d.empty:
            out.append(d)
    return out


plan_diff = diff  # the same function under a name the package's ``diff`` export does not shadow


def _short(v: Any, n: int = 60) -> str:
    s = "—" if v is None or v == "" else str(v)
    return s if len(s) <= n else s[: n - 1] + "…"


# a field holding a code → the catalog kind that names it (plans.<kind>.<code>)
_CODE_KIND = {"stage": "stage", "target_stage": "stage", "role": "role", "attitude": "attitude", "metric": "metric",
              "baseline_source": "baseline_source", "type": "action", "status": "action_status"}  # fmt: skip


def _field_text(field: str, old: Any, new: Any, lang: str) -> str:
    """ "Attitude to us: Neutral → Supporter": the field's name and its codes in ``lang`` (text stays as typed)."""
    from kam_core.i18n import CATALOG, t

    def value(v: Any) -> str:
        key = f"plans.{_CODE_KIND.get(field, '')}.{v}"
        return t(key, lang) if field in _CODE_KIND and key in CATALOG else _short(v)

    name = t(f"plp.field.{field}", lang) if f"plp.field.{field}" in CATALOG else field
    return f"{name}{'：' if lang == 'zh' else ': '}{value(old)} → {value(new)}"


def lines(changes: list[SectionDiff], lang: str = "en") -> list[str]:
    """The diff as readable lines ("Stakeholders: changed Wang Hui — Attitude to us: Neutral → Supporter")."""
    from kam_core.i18n import t

    out: list[str] = []
    for d in changes:
        head = t(f"plans.section.{d.section.split('.')[0]}", lang)
        if d.section.startswith("swot."):
            head += " · " + t(f"plans.quadrant.{d.section.split('.', 1)[1]}", lang)
        for r in d.added:
            out.append(t("plans.diff.added", lang, section=head, item=_short(_label(d.section, r))))
        for r in d.removed:
            out.append(t("plans.diff.removed", lang, section=head, item=_short(_label(d.section, r))))
        for c in d.changed:
            what = ("；" if lang == "zh" else "; ").join(_field_text(f.field, f.old, f.new, lang) for f in c.fields)
            out.append(t("plans.diff.changed", lang, section=head, item=c.key or head, what=what))
    return out or [t("plans.diff.none", lang)]
