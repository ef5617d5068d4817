"""Password hashing (argon2id) and the password policy."""
from functools import lru_cache
from pathlib import Path

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from flask import current_app
from flask_babel import gettext as _


@lru_cache(maxsize=4)
def _hasher(params: tuple) -> PasswordHasher:
    return PasswordHasher(**dict(params))


def hasher() -> PasswordHasher:
    params = current_app.config.get("ARGON2_PARAMS") or {}
    return _hasher(tuple(sorted(params.items())))


def hash_password(password: str) -> str:
    return hasher().hash(password)


def verify_password(password_hash: str, password: str) -> bool:
    try:
        return hasher().verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


# A hash to verify against when the login does not exist, so both paths take the same time.
def dummy_verify(password: str) -> None:
    verify_password(_dummy_hash(), password)


@lru_cache(maxsize=1)
def _dummy_hash_cached(params: tuple) -> str:
    return _hasher(params).hash("dummy-password-for-timing")


def _dummy_hash() -> str:
    params = current_app.config.get("ARGON2_PARAMS") or {}
    return _dummy_hash_cached(tuple(sorted(params.items())))


COMMON_PASSWORDS_FILE = Path(__file__).with_name("common-passwords.txt")


@lru_cache(maxsize=1)
def long_common_passwords() -> frozenset[str]:
    """The most common passwords that pass the length rule (the vendored list; its header names the source)."""
    with COMMON_PASSWORDS_FILE.open(encoding="utf-8") as fh:
        return frozenset(line.rstrip("\n") for line in fh if line.strip() and not line.startswith("# "))


@lru_cache(maxsize=1)
def common_passwords() -> frozenset[str]:
    """Common passwords: the vendored list of long ones, the 30,000 most common of any length (zxcvbn's list,
    used as the stems of "stem + digits" passwords) and Polish ones both lack."""
    from zxcvbn.frequency_lists import FREQUENCY_LISTS  # local import: megabytes of word lists, read once (cached)

    polish = {"haslo", "haslo123", "qwerty123", "zaq12wsx", "polska", "kochamcie", "marcin", "agnieszka",
              "zaq1@wsx", "1qaz2wsx", "haslo1234567", "qwertyuiop12", "polska123456"}
    return frozenset(FREQUENCY_LISTS["passwords"]) | polish | long_common_passwords()


def password_problems(password: str, *, login: str = "", full_name: str = "") -> list[str]:
    """Messages (in the user's language) for what is wrong with a new password; empty when it is fine."""
    problems = []
    min_length = current_app.config["PASSWORD_MIN_LENGTH"]
    if len(password) < min_length:
        problems.append(_("The password must have at least %(n)d characters.", n=min_length))
    lowered = password.lower()
    if lowered in common_passwords() or lowered.rstrip("0123456789!") in common_passwords():
        problems.append(_("This password is on the list of commonly used passwords. Choose another."))
    if login and login.lower() in lowered:
        problems.append(_("The password must not contain the login."))
    if len(set(password)) < 4:
        problems.append(_("The password is too repetitive."))
    return problems
