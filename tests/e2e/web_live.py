"""Helpers of the browser tests: start and stop a real server on a free 127.0.0.1 port."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

from web_seed import PASSWORD

CHROMIUM = Path("/usr/bin/chromium")
#: How long an expectation waits in the browser tests (the CI machine may be busy).
EXPECT_TIMEOUT_MS = 20_000
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
SECRET_KEY = "e2e-noegle-der-kun-bruges-i-browsertestene-0123456789"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_server(project_dir: Path, *, server_mode: bool = True, workers: int = 1):
    """Start ``uvicorn`` with the app factory on a free port; returns (process, base URL)."""
    port = _free_port()
    env = {**os.environ, "EFFEKTSPOR_WEB_PROJECT_DIR": str(project_dir),
           "EFFEKTSPOR_WEB_SERVER_MODE": "1" if server_mode else "0",
           "EFFEKTSPOR_WEB_SECRET_KEY": SECRET_KEY, "EFFEKTSPOR_WEB_ALLOWED_HOSTS": "127.0.0.1"}
    process = subprocess.Popen(
        [sys.executable, "-m", "uvicorn", "--factory",
         "effektspor.web.app:create_app_from_environment", "--host", "127.0.0.1",
         "--port", str(port), "--log-level", "warning", "--workers", str(workers)],
        env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            output = process.stdout.read().decode(errors="replace")
            raise RuntimeError(f"Serveren stoppede ved start:\n{output}")
        try:
            urllib.request.urlopen(f"{url}/static/app.css", timeout=2).close()
            return process, url
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            time.sleep(0.2)
    process.terminate()
    raise RuntimeError("Serveren svarede ikke inden for 60 sekunder.")


def stop_server(process) -> None:
    """Stop a server started by :func:`start_server`."""
    process.terminate()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()


def login(page, url: str, username: str, password: str = PASSWORD) -> None:
    """Log in through the login form of the server at ``url`` (Playwright page); the
    password of the seeded users (``web_seed.seed_users``) unless another is given."""
    page.goto(f"{url}/login")
    page.fill("#brugernavn", username)
    page.fill("#adgangskode", password)
    page.press("#adgangskode", "Enter")
    page.wait_for_load_state()


def playwright_expect():
    """Playwright's ``expect`` with a patient timeout; skips the calling test module (with
    the reason) when the playwright package is missing."""
    import pytest

    expect = pytest.importorskip(
        "playwright.sync_api", reason="Browsertest springes over: Python-pakken playwright "
        "mangler / the playwright package is not installed").expect
    expect.set_options(timeout=EXPECT_TIMEOUT_MS)
    return expect
