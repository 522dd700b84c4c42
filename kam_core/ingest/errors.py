"""The one exception the ingest pipeline raises for refused input: a catalog key plus its values."""

from __future__ import annotations

from kam_core.i18n import t


class IngestError(Exception):
    """Input refused before anything was written; ``message(lang)`` says why in plain words."""

    def __init__(self, key: str, **fmt: object) -> None:
        self.key = key
        self.fmt = fmt
        super().__init__(t(key, "en", **fmt))

    def message(self, lang: str = "en") -> str:
        return t(self.key, lang, **self.fmt)
