import pytest
from sqlalchemy import select, text
from sqlalchemy.exc import DBAPIError

from casework.core import audit
from casework.core.audit import AuditEvent, AuditIsAppendOnly
from casework.extensions import db


def test_audit_events_cannot_be_changed_through_the_app(make_user):
    user = make_user("admin")
    audit.record("something", object_type="x", object_id=1, user=user)
    db.session.commit()
    event = db.session.scalars(select(AuditEvent)).one()
    event.action = "something else"
    with pytest.raises(AuditIsAppendOnly):
        db.session.commit()
    db.session.rollback()
    db.session.delete(db.session.scalars(select(AuditEvent)).one())
    with pytest.raises(AuditIsAppendOnly):
        db.session.commit()


def test_postgresql_refuses_changes_to_audit_events_in_sql(make_user):
    if db.engine.dialect.name != "postgresql":
        pytest.skip("the trigger exists on PostgreSQL, the production database")
    user = make_user("admin")
    audit.record("something", object_type="x", object_id=1, user=user)
    db.session.commit()
    with pytest.raises(DBAPIError, match="append-only"):
        db.session.execute(text("UPDATE audit_event SET action = 'x'"))
    db.session.rollback()
    with pytest.raises(DBAPIError, match="append-only"):
        db.session.execute(text("DELETE FROM audit_event"))
    db.session.rollback()
    assert db.session.scalar(select(AuditEvent.action)) == "something"
