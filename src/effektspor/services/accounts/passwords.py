"""Argon2id password hashes and the rules for a new account (building blocks of the
accounts area; no actor)."""

from __future__ import annotations

import re
import secrets
from functools import lru_cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from effektspor.domain.errors import Problem

MIN_PASSWORD_LENGTH = 10
_USERNAME = re.compile(r"^[A-Za-z0-9ÆØÅæøå._@-]{2,120}$")
_hasher = PasswordHasher()


@lru_cache(maxsize=1)
def _dummy_hash() -> str:
    return _hasher.hash(secrets.token_hex(16))


def hash_password(password: str) -> str:
    """The Argon2id hash of ``password`` (salted; parameters are stored in the hash)."""
    return _hasher.hash(password)


def verify_password(password_hash: str | None, password: str) -> bool:
    """True when ``password`` matches ``password_hash``. Without a hash (an unknown user)
    a dummy hash is checked, so the time taken does not reveal which user names exist."""
    try:
        return _hasher.verify(password_hash or _dummy_hash(), password) and bool(password_hash)
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(password_hash: str) -> bool:
    """True when the hash was made with weaker parameters than today's."""
    return _hasher.check_needs_rehash(password_hash)


def validate_new_account(username: str, password: str) -> list[Problem]:
    """Problems with a proposed user name and password (empty when both are fine)."""
    problems = []
    if not _USERNAME.match(username):
        problems.append(Problem("Brugernavnet skal være 2–120 tegn: bogstaver, tal, . _ - @.",
                                field="brugernavn"))
    if len(password) < MIN_PASSWORD_LENGTH:
        problems.append(Problem(f"Adgangskoden skal være mindst {MIN_PASSWORD_LENGTH} tegn.",
                                field="adgangskode"))
    return problems
