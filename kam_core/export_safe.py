"""Kept so existing imports work; the code lives in kam_core.export.safe."""

from kam_core.export.safe import DANGEROUS, neutralise, to_csv_bytes, to_xlsx_bytes  # noqa: F401
