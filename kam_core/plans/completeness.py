"""How complete a plan is: the share of its nine sections that hold something.

A section counts as filled when (the definition the portfolio page states, ``portfolio.completeness_help``):

- relationship: the justification of the stage is written (stage and target always have a value);
- vision, strategy: the text is not blank;
- SWOT: every one of the four quadrants holds at least one line;
- competitors, stakeholders, objectives, actions: at least one row;
- own company: at least one of its three texts is not blank.

Completeness = filled sections ÷ 9. Pure function of the document (no database).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from kam_core.plans.model import QUADRANTS, SECTIONS, PlanDoc


def _text(s: str) -> bool:
    return bool(s and s.strip())


_FILLED: dict[str, Callable[[PlanDoc], bool]] = {
    "relationship": lambda d: _text(d.relationship.justification),
    "vision": lambda d: _text(d.vision),
    "strategy": lambda d: _text(d.strategy),
    "swot": lambda d: all(getattr(d.swot, q) for q in QUADRANTS),
    "competitors": lambda d: bool(d.competitors),
    "own_company": lambda d: any(_text(x) for x in vars(d.own_company).values()),
    "stakeholders": lambda d: bool(d.stakeholders),
    "objectives": lambda d: bool(d.objectives),
    "actions": lambda d: bool(d.actions),
}
assert tuple(_FILLED) == SECTIONS  # a new section needs a rule here


@dataclass(frozen=True)
class Completeness:
    filled: tuple[str, ...]
    missing: tuple[str, ...]

    @property
    def share(self) -> float:
        """0–1: filled sections ÷ all sections."""
        return len(self.filled) / len(SECTIONS)


def completeness(doc: PlanDoc) -> Completeness:
    filled = tuple(s for s in SECTIONS if _FILLED[s](doc))
    return Completeness(filled, tuple(s for s in SECTIONS if s not in filled))
