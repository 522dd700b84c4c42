"""A real OpenID Connect provider for browser tests (oidc-provider-mock, plain http on 127.0.0.1), and the app
run in sign-in mode against it (its own secrets.toml, passed with --secrets.files).

The provider's sign-in form lists the predefined users as one-click buttons; any client id / secret is accepted.
Everything listens on 127.0.0.1 only: the browser URL, the redirect URI and the metadata URL all use it, so the
session cookie Streamlit sets on the callback is the one the app's pages see.
"""

from __future__ import annotations

import secrets
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import werkzeug.serving
from oidc_provider_mock import User, app

from tests.e2e.launch import Server, free_port, run_server

# the provider's own pages load a stylesheet from a CDN (the browser fixture blocks and records it)
PROVIDER_ASSETS = ("https://cdn.jsdelivr.net/npm/@picocss/",)


@dataclass
class Provider:
    url: str  # issuer, http://127.0.0.1:PORT
    server: werkzeug.serving.BaseWSGIServer = field(repr=False)

    @property
    def metadata_url(self) -> str:
        return self.url + "/.well-known/openid-configuration"


@contextmanager
def run_provider(users: dict[str, str]) -> Iterator[Provider]:
    """The provider in a thread, with ``users`` (e-mail → name) as its predefined one-click users."""
    claims = [User(sub=email, claims={"email": email, "name": name}) for email, name in users.items()]
    wsgi = app(user_claims=claims, require_nonce=False)
    server = werkzeug.serving.make_server("127.0.0.1", 0, wsgi, threaded=True)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.1}, daemon=True)
    thread.start()
    try:
        yield Provider(f"http://127.0.0.1:{server.server_port}", server)
    finally:
        server.shutdown()
        server.server_close()
        thread.join(10)


def write_secrets(path: Path, provider: Provider, app_port: int) -> Path:
    """A secrets.toml whose [auth] section points the app at ``provider`` (what an operator writes)."""
    path.write_text(
        "[auth]\n"
        f'redirect_uri = "http://127.0.0.1:{app_port}/oauth2callback"\n'
        f'cookie_secret = "{secrets.token_hex(32)}"\n'
        'client_id = "kam-dashboard"\n'
        'client_secret = "e2e-client-secret"\n'
        f'server_metadata_url = "{provider.metadata_url}"\n',
        encoding="utf-8",
    )
    return path


@contextmanager
def run_signin_app(db: Path, provider: Provider, workdir: Path) -> Iterator[Server]:
    """`streamlit run app.py` in sign-in mode on a free port (127.0.0.1) against ``db``, until the block ends."""
    port = free_port()
    secrets_file = write_secrets(workdir / "secrets.toml", provider, port)
    with run_server(db, user=None, port=port, args=("--secrets.files", str(secrets_file)),
                    log_path=workdir / "app.log") as server:  # fmt: skip
        yield server
