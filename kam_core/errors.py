"""The one user-facing error: a catalog key plus its values, rendered in the user's language.

Raised by kam_core for input a person can fix (a bad file, a refused setting, an unknown
account). Pages show ``e.message(lang)`` with ``st.error``; the CLI catches it in one place
(``kam_core.cli.main``), prints the message on stderr and exits 1. Nothing is written when
it is raised inside a transaction.
"""

from __future__ import annotations

from kam_core.i18n import CATALOG, t


class UserError(ValueError):
    """Refused input; ``message(lang)`` says why in plain words, in English or Chinese.

    ``key`` is a catalog key (``kam_core.i18n``); a plain sentence is accepted too (shown as
    it is in both languages) for messages that come from outside the catalog.
    """

    def __init__(self, key: str, /, **values: object) -> None:
        self.key = key
        self.values = values
        super().__init__(self.message("en"))

    # older name of ``values`` (ingest and tiers called it ``fmt``)
    @property
    def fmt(self) -> dict[str, object]:
        return self.values

    def message(self, lang: str = "en") -> str:
        if self.key in CATALOG:
            return t(self.key, lang, **self.values)
        return self.key.format(**self.values) if self.values else self.key
