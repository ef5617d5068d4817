"""Key/value settings an administrator may change (caps, lead times, dictionaries' defaults)."""
from sqlalchemy import JSON, String, select
from sqlalchemy.orm import Mapped, mapped_column

from casework.extensions import db


class AppSetting(db.Model):
    __tablename__ = "app_setting"

    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[object] = mapped_column(JSON, nullable=True)


_MISSING = object()


def _cache() -> dict:
    """Settings read in this request (or job); a page asks the database once per key."""
    from flask import g, has_app_context

    if not has_app_context():
        return {}
    if "_settings_cache" not in g:
        g._settings_cache = {}
    return g._settings_cache


def get_setting(key: str, default=None):
    cache = _cache()
    value = cache.get(key, _MISSING)
    if value is _MISSING:
        row = db.session.get(AppSetting, key)
        value = None if row is None else row.value
        cache[key] = value
    return default if value is None else value


def set_setting(key: str, value) -> None:
    row = db.session.get(AppSetting, key)
    if row is None:
        db.session.add(AppSetting(key=key, value=value))
    else:
        row.value = value
    db.session.flush()
    _cache()[key] = value


def all_settings() -> dict:
    return {row.key: row.value for row in db.session.scalars(select(AppSetting))}
