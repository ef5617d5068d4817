"""Key/value settings an administrator may change (caps, lead times, dictionaries' defaults)."""
from sqlalchemy import JSON, String, select
from sqlalchemy.orm import Mapped, mapped_column

from casework.extensions import db


class AppSetting(db.Model):
    __tablename__ = "app_setting"

    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[object] = mapped_column(JSON, nullable=True)


def get_setting(key: str, default=None):
    row = db.session.get(AppSetting, key)
    return default if row is None else row.value


def set_setting(key: str, value) -> None:
    row = db.session.get(AppSetting, key)
    if row is None:
        db.session.add(AppSetting(key=key, value=value))
    else:
        row.value = value
    db.session.flush()


def all_settings() -> dict:
    return {row.key: row.value for row in db.session.scalars(select(AppSetting))}
