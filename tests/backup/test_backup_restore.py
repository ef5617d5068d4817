"""Backup and restore: every row back, the app working on the restored copy, older schemas migrated,
newer ones refused."""
import json
import zipfile
from datetime import date

import pytest
from flask_migrate import upgrade
from sqlalchemy import func, select

from casework.auth.models import User
from casework.backup.services import BackupError, backup, restore
from casework.core import audit
from casework.extensions import db
from casework.families.models import AssistantAssignment, Family, FamilyMember, SupportPeriod
from tests.conftest import CaseworkClient, login


def _some_case_data(make_user):
    assistant = make_user("assistant", login="agata", full_name="Agata Żółć")
    family = Family(case_number="AR/2026/1", name="Łukasiewicz", city="Łódź", area="urban",
                    notes="Zażółć gęślą jaźń")
    db.session.add(family)
    db.session.flush()
    db.session.add(FamilyMember(family_id=family.id, first_name="Ola", last_name="Łukasiewicz",
                                birth_date=date(2016, 2, 29), relation="child"))
    period = SupportPeriod(family_id=family.id, basis="court_order", start_date=date(2025, 1, 31),
                           court_name="Sąd Rejonowy", court_order_date=date(2025, 1, 15))
    db.session.add(period)
    db.session.flush()
    db.session.add(AssistantAssignment(support_period_id=period.id, family_id=family.id,
                                       assistant_id=assistant.id, start_date=date(2025, 2, 1)))
    audit.record("test_event", family, user=assistant, details={"name": ["A", "Ą"]})
    db.session.commit()
    return family


def _counts(session) -> dict:
    return {model.__tablename__: session.scalar(select(func.count()).select_from(model))
            for model in (User, Family, FamilyMember, SupportPeriod, AssistantAssignment)}


def test_round_trip_every_row_back_and_the_app_works(app, make_user, scratch_app, tmp_path):
    family = _some_case_data(make_user)
    expected = _counts(db.session)
    path = str(tmp_path / "backup.zip")
    info = backup(path)
    assert info.row_counts["family"] == 1 and info.row_counts["audit_event"] == 1

    other = scratch_app("restored")
    with other.app_context():
        restore(path)
        assert _counts(db.session) == expected
        restored = db.session.get(Family, family.id)
        assert restored.name == "Łukasiewicz" and restored.notes == "Zażółć gęślą jaźń"
        assert restored.members[0].birth_date == date(2016, 2, 29)
        assert restored.support_periods[0].start_date == date(2025, 1, 31)
        event = db.session.scalars(select(audit.AuditEvent)).one()
        assert event.details == {"name": ["A", "Ą"]} and event.at is not None
        # new rows get fresh ids after the restore (sequences follow the data)
        db.session.add(Family(case_number="AR/2026/2", name="Nowak", area="rural"))
        db.session.commit()
        db.session.remove()
    other.test_client_class = CaseworkClient
    client = other.test_client()
    assert login(client, "agata").status_code == 302
    assert "Agata Żółć" in client.get("/").get_data(as_text=True)


def test_restore_refuses_a_database_with_data_unless_replace(app, make_user, tmp_path):
    _some_case_data(make_user)
    path = str(tmp_path / "backup.zip")
    backup(path)
    with pytest.raises(BackupError, match="--replace"):
        restore(path)
    db.session.remove()
    restore(path, replace=True)
    assert db.session.scalar(select(func.count(Family.id))) == 1


def test_restore_refuses_a_newer_schema(app, make_user, tmp_path, scratch_app):
    make_user("admin")
    path = tmp_path / "backup.zip"
    backup(str(path))
    newer = tmp_path / "newer.zip"
    with zipfile.ZipFile(path) as src, zipfile.ZipFile(newer, "w") as dst:
        for item in src.namelist():
            data = src.read(item)
            if item == "manifest.json":
                manifest = json.loads(data)
                manifest["revision"] = "9999_from_the_future"
                data = json.dumps(manifest).encode()
            dst.writestr(item, data)
    other = scratch_app("newer")
    with other.app_context():
        with pytest.raises(BackupError, match="newer schema"):
            restore(str(newer))


def test_restore_of_an_older_schema_is_migrated(app, tmp_path, scratch_app):
    old = scratch_app("old")
    path = str(tmp_path / "old.zip")
    with old.app_context():
        upgrade(revision="0001")  # a database from the first release
        db.session.execute(User.__table__.insert().values(
            login="stary", full_name="Stary Użytkownik", password_hash="x", is_active_account=True,
            session_token="t", must_change_password=False, created_at=func.now(), updated_at=func.now()))
        db.session.commit()
        assert backup(path).revision == "0001"
    target = scratch_app("target")
    with target.app_context():
        restore(path)
        assert db.session.scalar(select(User.full_name)) == "Stary Użytkownik"
        # the later migrations ran: their tables and seeded dictionaries exist
        assert db.session.scalar(select(func.count(Family.id))) == 0
        from casework.core.dictionaries import entries

        assert [e.code for e in entries("end_reason")][0] == "goals_achieved"


def test_not_a_backup_is_refused(app, tmp_path):
    bogus = tmp_path / "bogus.zip"
    bogus.write_text("hello")
    with pytest.raises(BackupError, match="not a casework backup"):
        restore(str(bogus))


def test_cli_backup_and_restore(app, make_user, tmp_path):
    make_user("admin", login="ada")
    path = str(tmp_path / "cli.zip")
    runner = app.test_cli_runner()
    result = runner.invoke(args=["casework", "backup", path])
    assert result.exit_code == 0 and "Backup written" in result.output
    result = runner.invoke(args=["casework", "restore", path])
    assert result.exit_code == 1 and "--replace" in result.output


def test_scheduled_backups_rotate(app, make_user, tmp_path):
    from datetime import datetime, timedelta, timezone

    from casework.backup.services import read_manifest, scheduled_backup

    make_user("admin")
    start = datetime(2026, 11, 1, 2, 0, tzinfo=timezone.utc)
    made = [scheduled_backup(str(tmp_path), keep=3, now=start + timedelta(days=i)) for i in range(5)]
    remaining = sorted(p.name for p in tmp_path.iterdir())
    assert remaining == ["casework-20261103-020000.zip", "casework-20261104-020000.zip",
                         "casework-20261105-020000.zip"]
    assert read_manifest(made[-1]).row_counts["user_account"] == 1


def test_nightly_backup_job_catches_up_and_skips_a_fresh_backup(app, make_user, tmp_path):
    from datetime import datetime, timedelta, timezone

    from casework.core.settings import set_setting
    from casework.scheduler.jobs import backup as backup_job

    make_user("admin")
    assert backup_job(datetime(2026, 11, 1, 2, tzinfo=timezone.utc)) == {"skipped": "no backup_directory"}
    set_setting("backup_directory", str(tmp_path))
    db.session.commit()
    night = datetime(2026, 11, 1, 1, 35, tzinfo=timezone.utc)
    assert "written" in backup_job(night)
    assert backup_job(night + timedelta(hours=1)) == {"skipped": "fresh"}
    # the machine was off for two days: the next hourly run makes the backup up
    assert "written" in backup_job(night + timedelta(days=2, hours=3))
    assert len(list(tmp_path.iterdir())) == 2
