"""Configuration classes. Secrets and the database URL come from the environment."""
import os
from datetime import timedelta
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent
INSTANCE_DIR = BASE_DIR / "instance"


def _env_int(name: str, default: int) -> int:
    value = os.environ.get(name)
    return int(value) if value else default


class Config:
    SECRET_KEY = os.environ.get("SECRET_KEY")
    SQLALCHEMY_DATABASE_URI = os.environ.get(
        "DATABASE_URL", f"sqlite:///{INSTANCE_DIR / 'casework.db'}"
    )
    SQLALCHEMY_ENGINE_OPTIONS: dict = {"pool_pre_ping": True}
    SQLALCHEMY_TRACK_MODIFICATIONS = False

    # Sessions: cookie flags, idle and absolute timeouts.
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_SECURE = False
    SESSION_COOKIE_NAME = "casework_session"
    IDLE_TIMEOUT = timedelta(minutes=_env_int("CASEWORK_IDLE_TIMEOUT_MINUTES", 30))
    ABSOLUTE_TIMEOUT = timedelta(hours=_env_int("CASEWORK_ABSOLUTE_TIMEOUT_HOURS", 12))
    PERMANENT_SESSION_LIFETIME = ABSOLUTE_TIMEOUT
    FORCE_HTTPS = False

    # Login throttling (kept in the database, so it holds across worker processes).
    LOGIN_MAX_FAILURES = _env_int("CASEWORK_LOGIN_MAX_FAILURES", 5)
    LOGIN_IP_MAX_FAILURES = _env_int("CASEWORK_LOGIN_IP_MAX_FAILURES", 30)
    LOGIN_LOCKOUT = timedelta(minutes=_env_int("CASEWORK_LOGIN_LOCKOUT_MINUTES", 15))
    PASSWORD_MIN_LENGTH = 12

    WTF_CSRF_TIME_LIMIT = None  # the session's own timeouts bound the token's life
    BABEL_DEFAULT_LOCALE = "pl"
    BABEL_DEFAULT_TIMEZONE = "Europe/Warsaw"
    LANGUAGES = ("pl", "en")
    TIMEZONE = "Europe/Warsaw"

    DEMO_DATA_ALLOWED = True
    PAGE_SIZE = 50


class DevelopmentConfig(Config):
    SECRET_KEY = os.environ.get("SECRET_KEY") or "dev-only-not-secret"


class TestingConfig(Config):
    TESTING = True
    SECRET_KEY = "testing-only-not-secret"
    SQLALCHEMY_DATABASE_URI = os.environ.get("CASEWORK_TEST_DATABASE_URL", "sqlite://")
    # Fast hashing keeps the suite quick; production uses argon2's defaults.
    ARGON2_PARAMS = {"time_cost": 1, "memory_cost": 1024, "parallelism": 1}


class ProductionConfig(Config):
    SESSION_COOKIE_SECURE = True
    FORCE_HTTPS = os.environ.get("CASEWORK_FORCE_HTTPS", "1") != "0"
    DEMO_DATA_ALLOWED = False

    @classmethod
    def validate(cls) -> None:
        if not os.environ.get("SECRET_KEY"):
            raise RuntimeError("ProductionConfig: set SECRET_KEY in the environment.")
        if os.environ.get("CASEWORK_DEMO"):
            raise RuntimeError("ProductionConfig: demo data is not allowed in production.")


CONFIGS = {
    "development": DevelopmentConfig,
    "testing": TestingConfig,
    "production": ProductionConfig,
}
