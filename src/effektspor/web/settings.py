"""Settings of the web app, read from arguments or EFFEKTSPOR_WEB_* environment variables."""

from __future__ import annotations

import secrets
from datetime import timedelta
from pathlib import Path

from pydantic import SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict

from effektspor.domain.errors import EffektsporError
from effektspor.services.accounts import SecurityPolicy

MIN_SECRET_KEY_LENGTH = 32
LOCAL_HOSTS = ("127.0.0.1", "localhost")


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
    #: Set when the server is reached through HTTPS: cookies get the Secure flag.
    secure_cookies: bool = False
    #: Comma-separated host names the server answers to ("*" = any; local: loopback only).
    allowed_hosts: str = ""
    session_idle_minutes: int = 30
    session_max_hours: int = 12
    login_max_failures: int = 5
    login_window_minutes: int = 15

    def host_names(self) -> list[str]:
        """The Host header values accepted (protects the local app from DNS rebinding)."""
        names = [name.strip() for name in self.allowed_hosts.split(",") if name.strip()]
        if not self.server_mode:
            return names or list(LOCAL_HOSTS)
        return names or ["*"]

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
