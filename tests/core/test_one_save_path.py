"""One save path: no view commits or rolls back by itself; every write goes through casework.core.errors.save
(version check, one-time token, refusal, commit), and audited reads are committed by the after-request hook."""
import ast
import importlib
import inspect
from pathlib import Path

import casework

#: (module, top-level function) → why it may touch the session itself. Keep this short; every entry needs a reason.
ALLOWED = {
    ("casework.main.views", "healthz"):
        "the health probe: a failed SELECT 1 leaves a broken transaction that must be discarded; it writes nothing",
    ("casework.importer.views", "check"):
        "the import's dry run runs the real import to report on it and rolls it back by design; it saves nothing",
    ("casework.reminders.views", "inject_reminder_count"):
        "a context processor, not a view: the error page of a failed request must still render its header",
}
SESSION_CALLS = {"commit", "rollback"}


def _view_modules(app) -> set[str]:
    """The module of every view function, plus every domain's views.py (even one whose views moved elsewhere)."""
    modules = {inspect.unwrap(view).__module__ for view in app.view_functions.values()}
    root = Path(casework.__file__).parent
    modules |= {f"casework.{path.parent.name}.views" for path in root.glob("*/views.py")}
    return {m for m in modules if m.startswith("casework.")}


def _session_calls(module_name: str):
    """(top-level function, line, call) for every `….session.commit()` / `.rollback()` in the module."""
    module = importlib.import_module(module_name)
    tree = ast.parse(inspect.getsource(module))
    for top in tree.body:
        name = getattr(top, "name", "<module>")
        for node in ast.walk(top):
            if (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
                    and node.func.attr in SESSION_CALLS and isinstance(node.func.value, ast.Attribute)
                    and node.func.value.attr == "session"):
                yield name, node.lineno, node.func.attr


def test_no_view_commits_or_rolls_back_outside_the_save_helper(app):
    found, used = [], set()
    for module in sorted(_view_modules(app)):
        for function, line, call in _session_calls(module):
            if (module, function) in ALLOWED:
                used.add((module, function))
                continue
            found.append(f"{module}:{line} {function}() calls db.session.{call}() — use casework.core.errors.save"
                         f" (or audit.read for a read)")
    assert not found, "\n".join(found)
    assert used == set(ALLOWED), f"allow-list entries no longer needed: {set(ALLOWED) - used}"


def test_the_crawl_sees_every_domain_views_module(app):
    modules = _view_modules(app)
    for name in ("families", "visits", "contacts", "plans", "assessments", "bluecard", "fostercare", "opinions",
                 "reports", "indicators", "admin", "auth", "reminders", "deadlines", "privacy", "importer"):
        assert f"casework.{name}.views" in modules


def test_the_check_catches_a_hand_written_commit(tmp_path, monkeypatch):
    """The detector itself: a views module with a commit of its own is reported (so the test above can fail)."""
    package = tmp_path / "fake_views_pkg"
    package.mkdir()
    (package / "__init__.py").write_text("")
    (package / "views.py").write_text(
        "from casework.extensions import db\n\n\ndef new():\n    try:\n        pass\n"
        "    except ValueError:\n        db.session.rollback()\n    db.session.commit()\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    calls = list(_session_calls("fake_views_pkg.views"))
    assert sorted((f, c) for f, _line, c in calls) == [("new", "commit"), ("new", "rollback")]
