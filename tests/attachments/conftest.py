"""Attachments' tests: each test stores files in a directory of its own."""
import pytest

from casework.attachments.models import KIND_DICTIONARY
from casework.core.dictionaries import by_code
from tests.families.conftest import make_family  # noqa: F401 - fixture


@pytest.fixture(autouse=True)
def files_dir(app, tmp_path):
    directory = tmp_path / "files"
    previous = app.config.get("ATTACHMENTS_DIR")
    app.config["ATTACHMENTS_DIR"] = str(directory)
    yield directory
    app.config["ATTACHMENTS_DIR"] = previous


def stored(directory) -> list:
    return sorted(p.name for p in directory.iterdir()) if directory.exists() else []


def kind_id(code: str = "court_order") -> int:
    return by_code(KIND_DICTIONARY, code).id
