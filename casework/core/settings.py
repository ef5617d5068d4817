"""Settings an administrator may change, declared ONCE here: key, type, default, legal basis, Polish label, range.

Every statutory number (the caseload cap, the assessment interval, the Niebieska Karta deadlines in working days,
the foster-care co-financing shares) and every other tunable the code reads is a row of `DECLARED`. Code reads a
value with `get_setting(key)`: the default comes from the declaration (never from the call site), an undeclared key
is an error, and a stored value the declaration does not accept (written before it was validated, or by hand) is
ignored in favour of the default. The administrator's settings page is generated from this table
(casework/admin/views.py); `change_setting` validates a typed-in value against the declaration's type and range with
a Polish message and audits the change.
"""
from dataclasses import dataclass

from flask import g, has_app_context
from flask_babel import gettext as _, lazy_gettext as _l
from sqlalchemy import JSON, String
from sqlalchemy.orm import Mapped, mapped_column

from casework.core import audit
from casework.core.errors import RuleError
from casework.extensions import db


class AppSetting(db.Model):
    __tablename__ = "app_setting"

    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[object] = mapped_column(JSON, nullable=True)


INT = "int"
BOOL = "bool"
TEXT = "text"
#: a list of whole numbers in ascending order (e.g. the bounds of duration buckets)
INT_LIST = "int_list"
#: a small image kept in the database: {"mime": "image/png" or "image/jpeg", "data": base64} (the centre's logo)
IMAGE = "image"

#: the acts cited below
UWR = "ustawy z 9 czerwca 2011 r. o wspieraniu rodziny i systemie pieczy zastępczej"
NK_REGULATION = ("rozporządzenia Rady Ministrów z 6 września 2023 r. w sprawie procedury „Niebieskie Karty” "
                 "(Dz.U. 2023 poz. 1870)")
RODO_STORAGE = "art. 5 ust. 1 lit. e RODO (ograniczenie przechowywania)"


class UnknownSetting(KeyError):
    """The code read or wrote a key that is not declared in `DECLARED`."""


class SettingError(RuleError):
    """A value the declaration does not accept (messages in Polish, for the administrator)."""


@dataclass(frozen=True)
class Setting:
    key: str
    kind: str
    default: object
    label: object  # lazy string
    group: object  # lazy string
    #: the article the number comes from, or None for a choice of the centre (no statutory value)
    legal_basis: str | None = None
    minimum: int | None = None
    maximum: int | None = None
    #: INT_LIST: how many numbers
    length: int | None = None
    help: object = None
    #: False: set by the application itself (not shown on the settings page)
    editable: bool = True

    # --- values -----------------------------------------------------------------------------------------------
    def _in_range(self, number: int) -> bool:
        return (self.minimum is None or number >= self.minimum) and (self.maximum is None or number <= self.maximum)

    def accepts(self, value) -> bool:
        """Whether a stored (JSON) value is a valid value of this setting."""
        if self.kind == INT:
            return isinstance(value, int) and not isinstance(value, bool) and self._in_range(value)
        if self.kind == BOOL:
            return isinstance(value, bool)
        if self.kind == TEXT:
            return value is None or (isinstance(value, str) and len(value) <= 500)
        if self.kind == INT_LIST:
            return (isinstance(value, list) and (self.length is None or len(value) == self.length)
                    and all(isinstance(v, int) and not isinstance(v, bool) and self._in_range(v) for v in value)
                    and all(a < b for a, b in zip(value, value[1:])))
        if self.kind == IMAGE:
            return (isinstance(value, dict) and value.get("mime") in ("image/png", "image/jpeg")
                    and isinstance(value.get("data"), str) and len(value["data"]) <= 1_400_000)
        return False

    def _range_message(self) -> str:
        if self.minimum is not None and self.maximum is not None:
            return _("Enter a whole number from %(min)d to %(max)d.", min=self.minimum, max=self.maximum)
        if self.minimum is not None:
            return _("Enter a whole number not smaller than %(min)d.", min=self.minimum)
        return _("Enter a whole number.")

    def parse(self, raw) -> object:
        """The value of a typed-in text (the settings page), or SettingError with a Polish message."""
        raw = "" if raw is None else str(raw).strip()
        if self.kind == INT:
            try:
                value = int(raw)
            except ValueError:
                raise SettingError(self._range_message()) from None
            if not self._in_range(value):
                raise SettingError(self._range_message())
            return value
        if self.kind == BOOL:
            if raw.lower() in ("1", "true", "on", "tak", "yes"):
                return True
            if raw.lower() in ("0", "false", "off", "nie", "no", ""):
                return False
            raise SettingError(_("Choose yes or no."))
        if self.kind == TEXT:
            if len(raw) > 500:
                raise SettingError(_("Enter at most 500 characters."))
            return raw or None
        if self.kind == INT_LIST:
            try:
                value = [int(part) for part in raw.replace(";", ",").split(",") if part.strip()]
            except ValueError:
                value = None
            if value is None or not self.accepts(value):
                raise SettingError(_("Enter %(n)d whole numbers from %(min)d to %(max)d in ascending order, "
                                     "separated by commas.", n=self.length or 1, min=self.minimum or 0,
                                     max=self.maximum or 0))
            return value
        raise SettingError(_("This setting cannot be changed here."))

    def show(self, value) -> str:
        """A value as the settings page shows it (and as `parse` reads it back)."""
        if value is None:
            return ""
        if self.kind == BOOL:
            return _("yes") if value else _("no")
        if self.kind == INT_LIST:
            return ", ".join(str(v) for v in value)
        return str(value)


def _int(key, default, label, group, legal_basis=None, minimum=0, maximum=None, **kw) -> Setting:
    return Setting(key, INT, default, label, group, legal_basis, minimum, maximum, **kw)


G_CASES = _l("Work with families")
G_BLUECARD = _l("Niebieska Karta")
G_FOSTER = _l("Foster care")
G_REMINDERS = _l("Reminders")
G_DATA = _l("Data, retention and backups")
G_STATS = _l("Statistics")
G_CENTRE = _l("Centre")

#: every setting the application reads, in the order of the settings page
DECLARED: tuple[Setting, ...] = (
    # --- statutory numbers ----------------------------------------------------------------------------------------
    _int("caseload_cap", 15, _l("Families one assistant may work with at the same time"), G_CASES,
         f"art. 15 ust. 4 {UWR} (do 2014 r. ten przepis dopuszczał 20 rodzin)", 1, 15),
    _int("assessment_interval_months", 6, _l("Months between half-yearly assessments of a family's situation"),
         G_CASES, f"art. 15 ust. 1 pkt 15 {UWR} (ocena „nie rzadziej niż co pół roku”)", 1, 6),
    _int("plan_due_days", 30, _l("Days after the support period starts by which the plan of work is drawn up"),
         G_CASES, None, 1, 365, help=_l("The act requires a plan (art. 15 ust. 1 pkt 1 UWR) but sets no term.")),
    _int("plan_revision_days", 30, _l("Days after an assessment recommending it by which the plan is revised"),
         G_CASES, None, 1, 365),
    _int("visit_edit_days", 7, _l("Days during which an assistant may correct a visit they logged"), G_CASES,
         None, 0, 365),
    _int("no_visit_warning_days", 30, _l("Days without a visit after which a family is flagged"), G_CASES,
         None, 1, 365),
    _int("bluecard_days_to_chair", 5, _l("Working days to pass the NK-A form to the chair of the team"), G_BLUECARD,
         NK_REGULATION, 1, 30),
    _int("bluecard_days_to_group", 3, _l("Working days for the chair to pass the procedure to a diagnostic group"),
         G_BLUECARD, NK_REGULATION, 1, 30),
    _int("bluecard_days_first_meeting", 5, _l("Working days to the diagnostic group's first meeting"), G_BLUECARD,
         NK_REGULATION, 1, 30),
    _int("foster_care_rate_year_1", 10,
         _l("Municipality's share of the cost of foster care in the first year, in percent"), G_FOSTER,
         f"art. 191 ust. 9 pkt 1 {UWR}", 0, 100),
    _int("foster_care_rate_year_2", 30,
         _l("Municipality's share of the cost of foster care in the second year, in percent"), G_FOSTER,
         f"art. 191 ust. 9 pkt 2 {UWR}", 0, 100),
    _int("foster_care_rate_year_3", 50,
         _l("Municipality's share of the cost of foster care in the third and later years, in percent"),
         G_FOSTER, f"art. 191 ust. 9 pkt 3 {UWR}", 0, 100),
    Setting("foster_care_count_restarts", BOOL, False,
            _l("After a return home, a new placement starts counting the years of stay again"), G_FOSTER,
            f"art. 191 ust. 9 {UWR} (wykładnia ośrodka)"),
    # --- reminders: how many days ahead each reminder comes -------------------------------------------------------
    _int("reminder_catchup_days", 30, _l("Days back a missed reminder is still sent (after downtime)"),
         G_REMINDERS, None, 0, 365),
    _int("plan_missing_lead_days", 7, _l("Days ahead: plan of work not drawn up yet"), G_REMINDERS, None, 0, 365),
    _int("plan_revision_lead_days", 7, _l("Days ahead: plan of work due for revision"), G_REMINDERS, None, 0, 365),
    _int("assessment_due_lead_days", 14, _l("Days ahead: half-yearly assessment due"), G_REMINDERS, None, 0, 365),
    _int("bluecard_lead_days", 1, _l("Days ahead: Niebieska Karta deadlines"), G_REMINDERS, None, 0, 30),
    _int("court_opinion_lead_days", 7, _l("Days ahead: opinion for the court due"), G_REMINDERS, None, 0, 365),
    _int("no_visit_lead_days", 3, _l("Days ahead: no visit for too long"), G_REMINDERS, None, 0, 365),
    _int("monitoring_ending_lead_days", 14, _l("Days ahead: monitoring ends"), G_REMINDERS, None, 0, 365),
    _int("ministry_report_lead_days", 14, _l("Days ahead: half-yearly report to the ministry"), G_REMINDERS,
         "art. 187 " + UWR + " (terminy sprawozdań)", 0, 365),
    _int("council_report_lead_days", 30, _l("Days ahead: annual report to the municipal council"), G_REMINDERS,
         "art. 179 ust. 1 " + UWR + " (termin sprawozdania)", 0, 365),
    # --- statistics -------------------------------------------------------------------------------------------------
    _int("indicator_cache_minutes", 10, _l("Minutes the indicators computed from today's data are reused (0: never)"),
         G_STATS, None, 0, 1440),
    Setting("indicators.duration_bucket_months", INT_LIST, [3, 12],
            _l("Bounds of the length-of-cooperation groups (months)"), G_STATS, None, 1, 600, length=2),
    # --- data, retention, backups ---------------------------------------------------------------------------------
    _int("retention_family_years", 10, _l("Years a family's closed case file is kept"), G_DATA, RODO_STORAGE, 1, 100),
    _int("retention_bluecard_years", 10, _l("Years a closed Niebieska Karta procedure is kept"), G_DATA,
         RODO_STORAGE, 1, 100),
    _int("login_records_retention_days", 30, _l("Days login records (login, address, time) are kept"), G_DATA,
         RODO_STORAGE, 1, 3650),
    Setting("backup_directory", TEXT, None, _l("Directory of the scheduled backups (empty: from the environment)"),
            G_DATA),
    _int("backup_keep", 14, _l("Scheduled backups kept"), G_DATA, None, 1, 1000),
    _int("import_max_rows", 200_000, _l("Import: most rows of one sheet"), G_DATA, None, 1, 10_000_000),
    _int("import_max_columns", 60, _l("Import: most columns with a value"), G_DATA, None, 1, 1000),
    _int("import_max_cells", 2_000_000, _l("Import: most cells with a value in one file"), G_DATA, None, 1,
         100_000_000),
    _int("import_max_unpacked_mb", 200, _l("Import: most megabytes an XLSX file unpacks to"), G_DATA, None, 1,
         10_000),
    _int("attachment_max_mb", 10, _l("Attached documents: largest file in megabytes"), G_DATA, None, 1, 100,
         help=_l("The server's limit of a whole request (20 MB unless the administrator of the server changed "
                 "it) applies first.")),
    Setting("demo_data", BOOL, False, _l("The database holds demonstration data"), G_DATA, editable=False),
    # --- the centre's identity on every generated document (edited on /admin/centre, checked by
    # casework.core.documents.update_identity: NIP and REGON check digits) ------------------------------------------
    Setting("centre.name", TEXT, None, _l("Name of the centre"), G_CENTRE, editable=False),
    Setting("centre.address", TEXT, None, _l("Address of the centre (one line per line of the letterhead)"),
            G_CENTRE, editable=False),
    Setting("centre.place", TEXT, None, _l("Place written before the date of a document"), G_CENTRE,
            editable=False),
    Setting("centre.municipality", TEXT, None, _l("Municipality"), G_CENTRE, editable=False),
    Setting("centre.regon", TEXT, None, _l("REGON"), G_CENTRE, editable=False),
    Setting("centre.nip", TEXT, None, _l("NIP"), G_CENTRE, editable=False),
    Setting("centre.phone", TEXT, None, _l("Telephone and e-mail of the centre"), G_CENTRE, editable=False),
    Setting("centre.head_name", TEXT, None, _l("Head of the centre (name)"), G_CENTRE, editable=False),
    Setting("centre.head_title", TEXT, None, _l("Head of the centre (title, e.g. DYREKTOR)"), G_CENTRE,
            editable=False),
    Setting("centre.file_number_pattern", TEXT, None,
            _l("File-number scheme (znak sprawy), e.g. MGOPS.AR.440.{n}.{year}"), G_CENTRE, editable=False),
    Setting("centre.font", TEXT, None, _l("Font of the documents"), G_CENTRE, editable=False),
    Setting("centre.logo", IMAGE, None, _l("Logo of the centre"), G_CENTRE, editable=False),
)

SETTINGS: dict[str, Setting] = {s.key: s for s in DECLARED}


def declared(key: str) -> Setting:
    try:
        return SETTINGS[key]
    except KeyError:
        raise UnknownSetting(f"setting {key!r} is not declared in casework.core.settings.DECLARED") from None


_MISSING = object()


def _cache() -> dict:
    """Settings read in this request (or job); a page asks the database once per key."""
    if not has_app_context():
        return {}
    if "_settings_cache" not in g:
        g._settings_cache = {}
    return g._settings_cache


def stored_value(key: str):
    """The value stored for `key` (None when none is), whether or not the declaration accepts it."""
    cache = _cache()
    value = cache.get(key, _MISSING)
    if value is _MISSING:
        row = db.session.get(AppSetting, key)
        value = None if row is None else row.value
        cache[key] = value
    return value


def get_setting(key: str):
    """The setting's value: the stored one when the declaration accepts it, else the declared default."""
    setting = declared(key)
    value = stored_value(key)
    if value is None or not setting.accepts(value):
        return setting.default
    return value


def set_setting(key: str, value) -> None:
    """Store a typed value (None: back to the default); SettingError when the declaration does not accept it."""
    setting = declared(key)
    if value is not None and not setting.accepts(value):
        raise SettingError(_("The value %(value)s is not valid for this setting.", value=value))
    row = db.session.get(AppSetting, key)
    if value is None:
        if row is not None:
            db.session.delete(row)
    elif row is None:
        db.session.add(AppSetting(key=key, value=value))
    else:
        row.value = value
    db.session.flush()
    _cache()[key] = value


def change_setting(key: str, raw, *, actor=None, reset: bool = False):
    """The administrator's change: parse the typed text against the declaration (Polish message when refused),
    store it (or go back to the default) and audit the old and new values. Returns the new effective value."""
    setting = declared(key)
    if not setting.editable:
        raise SettingError(_("This setting cannot be changed here."))
    before = get_setting(key)
    value = None if reset else setting.parse(raw)
    set_setting(key, value)
    after = get_setting(key)
    audit.record("setting_changed", object_type="app_setting", user=actor,
                 details={"key": key, "from": before, "to": after, "reset": bool(reset)})
    return after


def settings_page_rows() -> list[dict]:
    """The settings page's rows, in declaration order: each setting with its default and current value."""
    rows = []
    for setting in DECLARED:
        if not setting.editable:
            continue
        stored = stored_value(setting.key)
        rows.append({"setting": setting, "value": get_setting(setting.key), "stored": stored,
                     "is_default": stored is None,
                     "invalid_stored": stored is not None and not setting.accepts(stored)})
    return rows
