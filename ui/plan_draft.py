"""The plan editor's draft: the document being edited, kept in session state per account and year.

A draft holds the version it was edited from (``base``), the document its editors were seeded
with (``seed``), the document as edited (``doc``, rebuilt from the widgets on every run) and a
generation ``gen``. Widget keys carry account, year, base and generation, so replacing the seed
(a suggestion accepted, "take theirs", a restore) starts fresh editors instead of re-applying
the grid's pending edits to a changed table.
"""

from __future__ import annotations

import copy
import hashlib
from dataclasses import dataclass

import streamlit as st

_DRAFTS = "_plan_drafts"


@dataclass
class Draft:
    account: str
    year: int
    base: int
    seed: dict
    doc: dict
    gen: int = 0

    @property
    def token(self) -> str:
        digest = hashlib.sha1(f"{self.account}|{self.year}|{self.base}".encode()).hexdigest()[:8]
        return f"{digest}_{self.gen}"

    def key(self, name: str) -> str:
        """The widget key of editor ``name`` (e.g. "plan_swot_threats_<token>")."""
        return f"plan_{name}_{self.token}"


def _store() -> dict[str, Draft]:
    return st.session_state.setdefault(_DRAFTS, {})


def get(account: str, year: int) -> Draft | None:
    return _store().get(f"{account}|{year}")


def start(account: str, year: int, base: int, seed: dict) -> Draft:
    """A fresh draft from ``seed`` (the JSON form), replacing any draft of this account and year."""
    old = get(account, year)
    d = Draft(account, year, base, copy.deepcopy(seed), copy.deepcopy(seed), (old.gen + 1) if old else 0)
    _store()[f"{account}|{year}"] = d
    return d


def reseed(d: Draft, doc: dict, base: int | None = None) -> Draft:
    """Replace the draft's document (its editors start again from it)."""
    d.seed, d.doc, d.gen = copy.deepcopy(doc), copy.deepcopy(doc), d.gen + 1
    if base is not None:
        d.base = base
    return d


def drop(account: str, year: int) -> None:
    _store().pop(f"{account}|{year}", None)
