"""Encrypted backups (issue 17, low finding: "backups are an unencrypted ZIP of PESELs and password hashes"):
`backup FILE --encrypt` with the passphrase from the environment, `restore` reading it back, scheduled backups
encrypted when the passphrase is configured, and every way a wrong key or a changed file is refused."""
import os
import stat
import zipfile
from datetime import date, datetime, timedelta, timezone

import pytest
from sqlalchemy import func, select

from casework.auth.models import User
from casework.backup import crypto
from casework.backup.services import BackupError, backup, latest_backup_age, restore, scheduled_backup
from casework.extensions import db
from casework.families.models import Family, FamilyMember

PESEL = "85030212344"
PASSPHRASE = "korek-wiosna-latarnia-49-pociąg"


@pytest.fixture(autouse=True)
def _no_key_in_the_environment(monkeypatch):
    monkeypatch.delenv(crypto.KEY_ENV, raising=False)
    monkeypatch.setattr(crypto, "LOG2_N", 14)  # the tests' key derivation stays fast; the file records the cost


def _people(make_user):
    user = make_user("admin", login="ada")
    family = Family(case_number="AR/2026/9", name="Szyfrowani", area="urban")
    db.session.add(family)
    db.session.flush()
    db.session.add(FamilyMember(family_id=family.id, first_name="Ewa", last_name="Szyfrowana", pesel=PESEL,
                                birth_date=date(1985, 3, 2), relation="parent"))
    db.session.commit()
    return user.password_hash


def test_backups_are_an_unencrypted_zip_of_pesels_and_password_hashes(app, make_user, tmp_path, scratch_app,
                                                                     monkeypatch):
    password_hash = _people(make_user)
    path = str(tmp_path / "encrypted.zip.enc")
    runner = app.test_cli_runner()
    missing = runner.invoke(args=["casework", "backup", path, "--encrypt"])
    assert missing.exit_code == 1 and crypto.KEY_ENV in missing.output and not os.path.exists(path)
    monkeypatch.setenv(crypto.KEY_ENV, "krótkie")
    short = runner.invoke(args=["casework", "backup", path, "--encrypt"])
    assert short.exit_code == 1 and "shorter than 16" in short.output and not os.path.exists(path)

    monkeypatch.setenv(crypto.KEY_ENV, PASSPHRASE)
    made = runner.invoke(args=["casework", "backup", path, "--encrypt"])
    assert made.exit_code == 0 and "(encrypted)" in made.output, made.output
    raw = open(path, "rb").read()
    assert not zipfile.is_zipfile(path) and raw.startswith(crypto.MAGIC)
    for secret in (PESEL, password_hash, "Szyfrowana", "family_member"):
        assert secret.encode() not in raw
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    assert [n for n in os.listdir(tmp_path) if n != "encrypted.zip.enc"] == []  # no plain copy left behind

    other = scratch_app("decrypted")
    other_runner = other.test_cli_runner()
    with other.app_context():  # the CLI runs in the app context it finds: the other, empty database's
        monkeypatch.delenv(crypto.KEY_ENV)
        refused = other_runner.invoke(args=["casework", "restore", path])
        assert refused.exit_code == 1 and "is encrypted" in refused.output and crypto.KEY_ENV in refused.output
        monkeypatch.setenv(crypto.KEY_ENV, PASSPHRASE + "x")
        wrong = other_runner.invoke(args=["casework", "restore", path])
        assert wrong.exit_code == 1 and "does not decrypt" in wrong.output
        monkeypatch.setenv(crypto.KEY_ENV, PASSPHRASE)
        restored = other_runner.invoke(args=["casework", "restore", path])
        assert restored.exit_code == 0, restored.output
        assert db.session.scalar(select(FamilyMember.pesel)) == PESEL
        assert db.session.scalar(select(User.password_hash).where(User.login == "ada")) == password_hash
        db.session.remove()


def test_an_encrypted_backup_changed_or_cut_is_refused_before_anything_is_restored(app, make_user, tmp_path):
    _people(make_user)
    path = tmp_path / "b.enc"
    backup(str(path), passphrase=PASSPHRASE)
    data = path.read_bytes()
    for name, spoiled in (("flipped", data[:200] + bytes([data[200] ^ 1]) + data[201:]), ("cut", data[:-40]),
                          ("header", data[:len(crypto.MAGIC)] + b"\0" + data[len(crypto.MAGIC) + 1:]),
                          ("stub", data[:30])):
        bad = tmp_path / name
        bad.write_bytes(spoiled)
        with pytest.raises(BackupError):
            restore(str(bad), replace=True, passphrase=PASSPHRASE)
    assert db.session.scalar(select(func.count(Family.id))) == 1  # the database was left alone
    with pytest.raises(BackupError, match="does not decrypt"):
        restore(str(path), replace=True, passphrase="inne-hasło-do-kopii-2026")
    db.session.remove()
    restore(str(path), replace=True, passphrase=PASSPHRASE)
    assert db.session.scalar(select(FamilyMember.pesel)) == PESEL


def test_scheduled_backups_are_encrypted_when_the_key_is_configured(app, make_user, tmp_path, monkeypatch):
    _people(make_user)
    start = datetime(2026, 11, 1, 2, 0, tzinfo=timezone.utc)
    plain = scheduled_backup(str(tmp_path), keep=2, now=start)
    assert plain.endswith(".zip") and zipfile.is_zipfile(plain)
    monkeypatch.setenv(crypto.KEY_ENV, PASSPHRASE)
    made = [scheduled_backup(str(tmp_path), keep=2, now=start + timedelta(days=i)) for i in (1, 2)]
    assert sorted(os.listdir(tmp_path)) == ["casework-20261102-020000.zip.enc", "casework-20261103-020000.zip.enc"]
    assert all(crypto.is_encrypted(p) for p in made)
    assert latest_backup_age(str(tmp_path), start + timedelta(days=2, hours=5)) == timedelta(hours=5)
    db.session.remove()
    info = restore(made[-1], replace=True, passphrase=PASSPHRASE)
    assert info.row_counts["family_member"] == 1
