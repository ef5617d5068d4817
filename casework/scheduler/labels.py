"""The scheduler's jobs by name (the ids stay the stable keys of JobRun rows and the `run-jobs` command); shown on
the scheduler page and the administrator's start page."""
from flask_babel import lazy_gettext as _l

JOB_LABELS = {
    "create_reminders": _l("Create reminders of deadlines"),
    "send_digests": _l("Send reminder e-mails"),
    "backup": _l("Back up the database"),
    "prepare_statistics": _l("Prepare the half-year statistics"),
    "clean_imports": _l("Delete abandoned import files"),
    "purge_login_records": _l("Purge old login records and sessions"),
}
