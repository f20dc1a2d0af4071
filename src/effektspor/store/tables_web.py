"""Tables of the web area: user accounts, login sessions and login attempts.

Accounts are shared by all projects in one database (a server hosts one municipality).
A session row is keyed by the SHA-256 hash of the random token in the cookie, so a copy
of the database never yields a usable session.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from effektspor.store.base import Base, utcnow


class User(Base):
    """A person who may log in to the shared server, with one role."""

    __tablename__ = "users"
    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(120), unique=True)
    role: Mapped[str] = mapped_column(String(20))
    password_hash: Mapped[str] = mapped_column(String(200))
    # A leder sees case text only when an administrator has granted it.
    case_text_granted: Mapped[bool] = mapped_column(Boolean, default=False)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_login_at: Mapped[datetime | None] = mapped_column()


class WebSession(Base):
    """A logged-in browser session; ``token_hash`` is SHA-256 of the cookie's token."""

    __tablename__ = "web_sessions"
    token_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"),
                                         index=True)
    csrf_token: Mapped[str] = mapped_column(String(64))
    ip: Mapped[str | None] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_seen_at: Mapped[datetime] = mapped_column(default=utcnow)


class LoginAttempt(Base):
    """One login attempt (for rate limiting per user name and IP address)."""

    __tablename__ = "login_attempts"
    __table_args__ = (Index("ix_login_attempts_user_ip_at", "username", "ip", "at"),
                      Index("ix_login_attempts_ip_at", "ip", "at"))
    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(120))
    ip: Mapped[str] = mapped_column(String(64))
    at: Mapped[datetime] = mapped_column(default=utcnow)
    succeeded: Mapped[bool] = mapped_column(Boolean, default=False)
