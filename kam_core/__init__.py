"""KAM Dashboard core: storage, ingest, analytics and CLI. Never imports streamlit."""

__version__ = "0.1.0"
