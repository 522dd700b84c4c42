"""The change breakdown's page figures computed from one object per member: the reference that
``explain.view`` (columns, no objects) is checked against in tests/test_explain.py."""

from __future__ import annotations

from decimal import Decimal

from kam_core.analytics.explain import OTHERS, STATUSES, ZERO, Breakdown, Member, member_label
from kam_core.i18n import t


def top_with_others(b: Breakdown, n: int = 12) -> list[Member]:
    """The n largest changes, the rest folded into one 'others' member (for a readable waterfall)."""
    changes = [-abs(m.after - m.before) for m in b.members]
    ranked = [b.members[i] for i in sorted(range(len(changes)), key=changes.__getitem__)]  # stable, as before
    if len(ranked) <= n:
        return ranked
    rest = ranked[n:]
    others = Member(OTHERS, sum((m.before for m in rest), ZERO), sum((m.after for m in rest), ZERO), "others")
    return [*ranked[:n], others]


def subtotals(b: Breakdown) -> dict[str, Decimal]:
    """The change of the continuing, new and lost members; they add up to ``b.total_change`` exactly."""
    out = dict.fromkeys(STATUSES, ZERO)
    for m in b.members:
        if m.status in out:
            out[m.status] += m.after - m.before
    return out


def table(b: Breakdown, lang: str = "en") -> list[dict]:
    """One row per member (continuing, then new, then lost): member, before, after, change (exact
    Decimals), share_of_change, status (code) and status_label."""
    total = b.total_change
    labels = {s: t(f"explain.status.{s}", lang) for s in {m.status for m in b.members}}
    return [{"member": member_label(m, lang), "before": m.before, "after": m.after, "change": (c := m.after - m.before),
             "share_of_change": None if total == 0 else float(c / total), "status": m.status,
             "status_label": labels[m.status]} for m in b.members]  # fmt: skip
