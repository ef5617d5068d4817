from casework.core import dictionaries


def test_default_end_reasons_are_seeded_by_the_migration():
    codes = [e.code for e in dictionaries.entries("end_reason")]
    assert codes == ["goals_achieved", "no_cooperation", "no_effects", "moved_away", "other"]
    other = dictionaries.by_code("end_reason", "other")
    assert other.requires_text and other.label_pl == "inny powód"


def test_retired_entries_are_not_offered_but_kept():
    from casework.extensions import db

    entry = dictionaries.by_code("end_reason", "moved_away")
    entry.active = False
    db.session.commit()
    assert "moved_away" not in [e.code for e in dictionaries.entries("end_reason")]
    assert "moved_away" in [e.code for e in dictionaries.entries("end_reason", include_inactive=True)]


def test_seed_data_is_back_for_the_next_test():
    assert dictionaries.by_code("end_reason", "moved_away").active
