"""Computing indicators: values with a handful of aggregate queries, and the records behind each value."""
from decimal import ROUND_HALF_UP, Decimal

from sqlalchemy import func, select

from casework.extensions import db
from casework.core.indicators import BY_KEY, COUNT, DECIMAL, all_indicators, get


def _aggregate(ind, period):
    sub = ind.rows(period).subquery()
    if ind.kind == DECIMAL:
        return select(func.coalesce(func.sum(sub.c.amount), 0)).scalar_subquery()
    return select(func.count()).select_from(sub).scalar_subquery()


def _decimal(value) -> float:
    return float(Decimal(str(value or 0)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP))


def _keys(ind) -> list[str]:
    return list(ind.keys()) if ind.keys else []


def compute(period, codes=None) -> dict:
    """{code: value} for the period: every count/decimal indicator in ONE query (scalar subqueries), and one
    GROUP BY query per object-by-key indicator. Query count is constant in the size of the data."""
    inds = [i for i in all_indicators() if codes is None or i.code in codes]
    scalars = [i for i in inds if i.kind in (COUNT, DECIMAL)]
    values: dict = {}
    if scalars:
        stmt = select(*[_aggregate(i, period).label(f"v{n}") for n, i in enumerate(scalars)])
        row = db.session.execute(stmt).one()
        for n, ind in enumerate(scalars):
            values[ind.code] = _decimal(row[n]) if ind.kind == DECIMAL else int(row[n] or 0)
    for ind in (i for i in inds if i.kind == BY_KEY):
        sub = ind.rows(period).subquery()
        has_amount = "amount" in sub.c
        agg = func.coalesce(func.sum(sub.c.amount), 0) if has_amount else func.count()
        obj = {k: (0.0 if has_amount else 0) for k in _keys(ind)}
        for key, value in db.session.execute(select(sub.c.key, agg).group_by(sub.c.key).order_by(sub.c.key)):
            obj[str(key)] = _decimal(value) if has_amount else int(value)
        values[ind.code] = obj
    return {code: values[code] for code in (i.code for i in inds)}


def as_json(period, codes=None) -> dict:
    """The object of INDICATORS.md: {"period": {"from", "to"}, "indicators": {CODE: value}}."""
    return {"period": period.as_dict(), "indicators": compute(period, codes)}


def records(code: str, period, *, limit: int | None = None, offset: int = 0) -> list[dict]:
    """The records behind an indicator's value (the same query the value aggregates)."""
    ind = get(code)
    if ind is None:
        raise KeyError(code)
    sub = ind.rows(period).subquery()
    cols = [sub.c.id, sub.c.label]
    extra = [name for name in ("family_id", "key", "amount") if name in sub.c]
    cols += [sub.c[name] for name in extra]
    stmt = select(*cols).order_by(sub.c.label, sub.c.id)
    if limit is not None:
        stmt = stmt.limit(limit).offset(offset)
    out = []
    for row in db.session.execute(stmt):
        item = {"id": row.id, "label": row.label}
        for name in extra:
            value = getattr(row, name)
            item[name] = _decimal(value) if name == "amount" else value
        out.append(item)
    return out


def record_ids(code: str, period) -> list:
    ind = get(code)
    sub = ind.rows(period).subquery()
    cols = [sub.c.id] + ([sub.c.key] if ind.kind == BY_KEY else [])
    rows = db.session.execute(select(*cols).order_by(sub.c.id)).all()
    return [list(r) if len(r) > 1 else r[0] for r in rows]


def count_records(code: str, period) -> int:
    ind = get(code)
    sub = ind.rows(period).subquery()
    return db.session.scalar(select(func.count()).select_from(sub))

