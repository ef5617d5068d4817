from tests.reminders.helpers import smtp  # noqa: F401 - fixture
