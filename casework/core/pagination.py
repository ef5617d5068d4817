"""Pagination of a select() for list pages."""
from flask import current_app, request
from sqlalchemy import func, literal, select

from casework.extensions import db


def paginate(stmt, per_page: int | None = None):
    page = request.args.get("page", 1, type=int) or 1
    page = min(max(page, 1), 1_000_000)
    per_page = per_page or current_app.config["PAGE_SIZE"]
    result = db.paginate(stmt, page=max(page, 1), per_page=per_page, error_out=False, count=False)
    # the total counts rows of a one-column subquery: counting the full rows (the library's way) made SQLite
    # build every row of a large centre's list just to count it
    bare = stmt.with_only_columns(literal(1), maintain_column_froms=True).order_by(None)
    result.total = db.session.scalar(select(func.count()).select_from(bare.subquery()))
    return result


def int_arg(name: str, *, source=None) -> int | None:
    """A whole-number argument (query string, or `source` such as request.values) within the database's integer
    range; None otherwise."""
    value = (source if source is not None else request.args).get(name, type=int)
    return value if value is not None and 0 < value < 2**31 else None
