"""``effektspor serve --server`` as a real process: what uvicorn itself must not do.

By default uvicorn believes X-Forwarded-For from anyone connecting from 127.0.0.1, so a
client on the server's own machine (or any client, when a proxy passes the header on
unchanged) could send a new address with every login attempt and never hit the limit.
``serve`` turns that off; only proxies named with ``--proxy`` are believed (by the app).
"""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from web_seed import PASSWORD, seed_users

KEY = "en-hemmelig-noegle-kun-til-denne-test-0123456789"
SRC = Path(__file__).resolve().parent.parent / "src"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def served(project):
    """The project served by ``effektspor serve --server`` on a free port."""
    if not project.is_local:
        pytest.skip("én database er nok: det er uvicorns opsætning, der testes")
    seed_users(project)
    port = _free_port()
    env = {**os.environ, "EFFEKTSPOR_WEB_SECRET_KEY": KEY,
           "EFFEKTSPOR_WEB_ALLOWED_HOSTS": "127.0.0.1",
           "PYTHONPATH": os.pathsep.join([str(SRC), os.environ.get("PYTHONPATH", "")])}
    for name in ("EFFEKTSPOR_WEB_FORWARDED_ALLOW_IPS", "FORWARDED_ALLOW_IPS"):
        env.pop(name, None)
    process = subprocess.Popen(
        [sys.executable, "-c", "from effektspor.cli.main import main; main()", "serve",
         "--server", "--projekt", str(project.folder), "--port", str(port)],
        env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            if process.poll() is not None:
                raise RuntimeError(process.stdout.read().decode(errors="replace"))
            try:
                httpx.get(f"{url}/static/app.css", timeout=2)
                break
            except httpx.TransportError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.2)
        yield url
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()


def _attempt(client: httpx.Client, password: str, forwarded_for: str) -> httpx.Response:
    page = client.get("/login").text
    token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    return client.post("/login", data={"brugernavn": "leder1", "adgangskode": password,
                                       "csrf_token": token},
                       headers={"X-Forwarded-For": forwarded_for})


def test_a_forwarded_for_from_localhost_does_not_reset_the_limit(served):
    with httpx.Client(base_url=served, timeout=30) as client:
        for number in range(5):
            assert _attempt(client, "forkert-kode", f"10.0.0.{number}").status_code == 401
        locked = _attempt(client, PASSWORD, "10.0.0.99")
        assert locked.status_code == 429, locked.status_code
        assert "For mange mislykkede forsøg" in locked.text
        assert locked.headers["x-frame-options"] == "DENY"
        nul = client.get("/sager", params={"q": "\x00"})
        assert nul.status_code == 400 and "kontroltegn" in nul.text
