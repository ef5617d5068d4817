"""Migration 0030 carries a stored foster-care rate table over to the three declared settings, and back."""
from sqlalchemy import text


def test_foster_care_rates_become_three_settings_and_back(scratch_app):
    from flask_migrate import downgrade, upgrade

    from casework.core import settings
    from casework.extensions import db

    other = scratch_app("h3rates")
    with other.app_context():
        upgrade(revision="0028")
        with db.engine.begin() as conn:
            conn.execute(text("INSERT INTO app_setting (key, value) VALUES ('foster_care_rates', :v)"),
                         {"v": '{"10": 10, "30": 25, "50": 50}'})
        upgrade(revision="0030")
        db.session.remove()
        assert settings.get_setting("foster_care_rate_year_2") == 25
        assert db.session.get(settings.AppSetting, "foster_care_rates") is None
        db.session.remove()
        downgrade(revision="0028")
        with db.engine.connect() as conn:
            rows = dict(conn.execute(text("SELECT key, value FROM app_setting")).all())
        assert set(rows) == {"foster_care_rates"}
        assert '"30": 25' in str(rows["foster_care_rates"]) or rows["foster_care_rates"] == {"10": 10, "30": 25,
                                                                                             "50": 50}
        db.session.remove()
