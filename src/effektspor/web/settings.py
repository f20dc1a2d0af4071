"""Settings of the web app, read from arguments or EFFEKTSPOR_WEB_* environment variables."""

from __future__ import annotations

import secrets
from datetime import timedelta
from pathlib import Path

from pydantic import SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict

from effektspor.domain.errors import EffektsporError
from effektspor.services.accounts.login import SecurityPolicy
from effektspor.services.server import server_host_names

MIN_SECRET_KEY_LENGTH = 32
LOCAL_HOSTS = ("127.0.0.1", "localhost")
#: One year: browsers then refuse plain HTTP to the server's name (with ``--https`` only).
HSTS_SECONDS = 31_536_000
SECURITY_HEADERS = {
    "Content-Security-Policy": ("default-src 'self'; script-src 'self'; style-src 'self'; "
                                "img-src 'self' data:; object-src 'none'; "
                                "frame-ancestors 'none'; form-action 'self'; base-uri 'none'"),
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "same-origin",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Cross-Origin-Resource-Policy": "same-origin",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=(), payment=(), usb=()",
}


def _split(value: str) -> list[str]:
    return [part.strip() for part in value.split(",") if part.strip()]


class Settings(BaseSettings):
    """How the app runs: local (one user, no login) or server (accounts and roles).

    Every field can be set by an environment variable ``EFFEKTSPOR_WEB_<FIELD>``,
    e.g. ``EFFEKTSPOR_WEB_SECRET_KEY_FILE=/etc/effektspor/noegle``.
    """

    model_config = SettingsConfigDict(env_prefix="EFFEKTSPOR_WEB_", extra="ignore")

    project_dir: Path = Path(".")
    server_mode: bool = False
    host: str = "127.0.0.1"
    port: int = 8000
    secret_key: SecretStr | None = None
    secret_key_file: Path | None = None
    #: Set when the server is reached through HTTPS (``--https``): cookies get the Secure
    #: flag and every response the Strict-Transport-Security header (HSTS).
    secure_cookies: bool = False
    #: Comma-separated host names the server answers to, e.g. "effektspor.kommune.dk";
    #: "*.kommune.dk" matches the subdomains. Required in server mode; locally the
    #: loopback names are the default.
    allowed_hosts: str = ""
    #: Comma-separated addresses (or networks, e.g. 10.0.0.0/24) of reverse proxies whose
    #: X-Forwarded-For and X-Forwarded-Proto headers are believed. Empty (the default):
    #: no one's, so the client address is the connecting peer's.
    forwarded_allow_ips: str = ""
    session_idle_minutes: int = 30
    session_max_hours: int = 12
    login_max_failures: int = 5
    login_window_minutes: int = 15

    def host_names(self) -> list[str]:
        """The Host header values accepted (stops DNS rebinding and forged links).

        Server mode needs them named (a clear error otherwise); "*" is refused there.
        """
        if not self.server_mode:
            return _split(self.allowed_hosts) or list(LOCAL_HOSTS)
        return server_host_names(self.allowed_hosts)

    def proxy_addresses(self) -> list[str]:
        """The addresses of trusted reverse proxies (empty: trust no forwarded header)."""
        addresses = _split(self.forwarded_allow_ips)
        if "*" in addresses:
            raise EffektsporError(
                "Proxyadressen '*' ville lade alle forfalske deres IP-adresse (og dermed "
                "komme uden om loginbegrænsningen): skriv proxyens adresse, fx 127.0.0.1.")
        return addresses

    def security_headers(self) -> dict[str, str]:
        """The headers every response gets (HSTS only when served over HTTPS)."""
        headers = dict(SECURITY_HEADERS)
        if self.secure_cookies:
            headers["Strict-Transport-Security"] = f"max-age={HSTS_SECONDS}"
        return headers

    def policy(self) -> SecurityPolicy:
        """Session timeouts and login limits as a service-layer policy."""
        return SecurityPolicy(idle_timeout=timedelta(minutes=self.session_idle_minutes),
                              max_session_age=timedelta(hours=self.session_max_hours),
                              max_failures=self.login_max_failures,
                              failure_window=timedelta(minutes=self.login_window_minutes))

    def signing_key(self) -> bytes:
        """The secret that signs cookies. Required in server mode; random per process locally.

        Server mode needs the same key in every worker and across restarts, so it must come
        from EFFEKTSPOR_WEB_SECRET_KEY or a file named by EFFEKTSPOR_WEB_SECRET_KEY_FILE.
        """
        key: str | None = None
        if self.secret_key is not None:
            key = self.secret_key.get_secret_value()
        elif self.secret_key_file is not None:
            try:
                key = self.secret_key_file.read_text(encoding="utf-8").strip()
            except OSError as error:
                raise EffektsporError(
                    f"Kan ikke læse nøglefilen {self.secret_key_file}: {error.strerror}.") from None
        if key is None and not self.server_mode:
            return secrets.token_bytes(32)
        if not key or len(key) < MIN_SECRET_KEY_LENGTH:
            raise EffektsporError(
                "Servertilstand kræver en hemmelig nøgle på mindst "
                f"{MIN_SECRET_KEY_LENGTH} tegn: sæt EFFEKTSPOR_WEB_SECRET_KEY_FILE til en fil "
                "med nøglen (lav den fx med: python3 -c \"import secrets; "
                "print(secrets.token_urlsafe(48))\").")
        return key.encode()
