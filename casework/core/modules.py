"""Discovery of the modules a domain contributes: ``casework/<domain>/<name>.py``, found once by name.

Every extension point (views, models, indicators, reminder_rules, privacy, cli, demo, ...) is a module of a known
name in a domain package; the consumer asks for them with ``domain_modules("<name>")``. Lives in core so that the
registries in core can discover their contributors without importing the package root or a consumer package.
"""
import importlib
import importlib.util
import os
import pkgutil

_ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))  # the casework package directory


def domain_modules(module: str):
    """Yield casework.<domain>.<module> for every domain sub-package that has it (sorted by name)."""
    for info in sorted(pkgutil.iter_modules([_ROOT]), key=lambda i: i.name):
        if not info.ispkg:
            continue
        name = f"casework.{info.name}.{module}"
        if importlib.util.find_spec(name) is not None:
            yield importlib.import_module(name)
