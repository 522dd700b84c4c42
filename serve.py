"""Start the app: ``python serve.py [streamlit run options]`` is ``streamlit run app.py [options]`` in a process
that has already loaded the app's modules and opened its database (serving the command line's jobs, warming
the derived results), so the first visitor of a fresh server waits for neither: about 1.3 s of imports and
the database's open on this machine. ``make run`` and the browser tests start the app this way.
"""

from __future__ import annotations

import importlib
import pkgutil
import sys
import threading
from pathlib import Path

ROOT = Path(__file__).resolve().parent
sys.path.insert(0, str(ROOT))


def preload() -> None:
    """Import every module of kam_core and ui (what the pages import), not the command line's entry points."""
    import kam_core
    import ui

    for pkg in (kam_core, ui):
        for m in pkgutil.walk_packages(pkg.__path__, pkg.__name__ + "."):
            if m.name.rsplit(".", 1)[-1] not in ("__main__", "xlsx_worker"):
                importlib.import_module(m.name)


def main() -> None:
    preload()
    from kam_core.db import default_path
    from ui import data

    # (in a thread: the server listens at once, even while a command line job holds the file for a moment)
    threading.Thread(target=data.open_app_db, args=(str(default_path()),), name="kam-open", daemon=True).start()
    from streamlit.web import cli

    sys.argv = ["streamlit", "run", str(ROOT / "app.py"), *sys.argv[1:]]
    sys.exit(cli.main())


if __name__ == "__main__":
    main()
