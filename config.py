"""Configuration classes. Secrets and the database URL come from the environment."""
import os
from datetime import timedelta
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent
INSTANCE_DIR = BASE_DIR / "instance"


def _env_int(name: str, default: int) -> int:
    value = os.environ.get(name)
    return int(value) if value else default


def _env_list(name: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, "").split(",") if item.strip()]


def _base_url_host() -> list[str]:
    from urllib.parse import urlsplit

    host = urlsplit(os.environ.get("CASEWORK_BASE_URL", "")).hostname
    return [host] if host else []


class Config:
    SECRET_KEY = os.environ.get("SECRET_KEY")
    SQLALCHEMY_DATABASE_URI = os.environ.get(
        "DATABASE_URL", f"sqlite:///{INSTANCE_DIR / 'casework.db'}"
    )
    SQLALCHEMY_ENGINE_OPTIONS: dict = {"pool_pre_ping": True}
    SQLALCHEMY_TRACK_MODIFICATIONS = False

    # Sessions: cookie flags; the session itself is a server-side row (auth.models.UserSession) with the idle
    # and absolute timeouts, so logout ends it on the server. The cookie ends with the browser.
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_SECURE = False
    SESSION_COOKIE_NAME = "casework_session"
    IDLE_TIMEOUT = timedelta(minutes=_env_int("CASEWORK_IDLE_TIMEOUT_MINUTES", 30))
    ABSOLUTE_TIMEOUT = timedelta(hours=_env_int("CASEWORK_ABSOLUTE_TIMEOUT_HOURS", 12))
    PERMANENT_SESSION_LIFETIME = ABSOLUTE_TIMEOUT
    FORCE_HTTPS = False

    # Requests: the largest body accepted (imports need room), answered 413 above it.
    MAX_CONTENT_LENGTH = _env_int("CASEWORK_MAX_CONTENT_LENGTH_MB", 20) * 1024 * 1024
    #: how many reverse proxies in front of the app set X-Forwarded-For/-Proto (0: trust no such header)
    TRUSTED_PROXIES = _env_int("CASEWORK_TRUSTED_PROXIES", 0)
    #: the address people open; links in the calendar feed and e-mails are built from it, never from Host
    CASEWORK_BASE_URL = os.environ.get("CASEWORK_BASE_URL") or None

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
    # __Host-: sent only over HTTPS, only to this host (no Domain), for every path
    SESSION_COOKIE_NAME = "__Host-casework_session"
    SESSION_COOKIE_PATH = "/"
    SESSION_COOKIE_DOMAIN = None
    #: Host headers answered (others get 400): CASEWORK_TRUSTED_HOSTS, else the host of CASEWORK_BASE_URL
    TRUSTED_HOSTS = _env_list("CASEWORK_TRUSTED_HOSTS") or _base_url_host() or None
    FORCE_HTTPS = os.environ.get("CASEWORK_FORCE_HTTPS", "1") != "0"
    DEMO_DATA_ALLOWED = False

    @classmethod
    def validate(cls) -> None:
        if not os.environ.get("SECRET_KEY"):
            raise RuntimeError("ProductionConfig: set SECRET_KEY in the environment.")
        if os.environ.get("CASEWORK_DEMO"):
            raise RuntimeError("ProductionConfig: demo data is not allowed in production.")


#: the configuration used when CASEWORK_ENV is unset: production (`make run` sets development explicitly)
DEFAULT_ENV = "production"

CONFIGS = {
    "development": DevelopmentConfig,
    "testing": TestingConfig,
    "production": ProductionConfig,
}
