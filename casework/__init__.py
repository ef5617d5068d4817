"""casework: case management for family assistance in Polish social-assistance centres."""
import gc
import os

from flask import Flask, abort, has_request_context, render_template, request, session
from flask.globals import request_ctx
from flask_babel import force_locale, get_locale, gettext as _
from flask_login import current_user
from flask_talisman import Talisman
from flask_wtf.csrf import CSRFError
from sqlalchemy import inspect, text
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm.exc import StaleDataError

from casework.core import audit, formatting, forms
from casework.core.errors import conflict_message
from casework.core.modules import domain_modules
from casework.core import navigation
from casework.core.navigation import nav_items
from casework.core.timeutil import to_local
from casework.core.urls import BoundedIntConverter
from casework.extensions import babel, csrf, db, login_manager, migrate

BASE_DIR = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

CSP = {
    "default-src": "'self'",
    "script-src": "'self'",
    "style-src": "'self'",
    "img-src": ["'self'", "data:"],
    "font-src": "'self'",
    "form-action": "'self'",
    "base-uri": "'self'",
    "object-src": "'none'",
    "frame-ancestors": "'none'",
}


def create_app(config=None) -> Flask:
    # local import: config.py sits beside the package (not inside it) and is only needed to build an app
    from config import CONFIGS, DEFAULT_ENV, ProductionConfig

    if config is None or isinstance(config, str):
        # unset CASEWORK_ENV means production (`make run` sets development): no public key by accident
        config = CONFIGS[config or os.environ.get("CASEWORK_ENV") or DEFAULT_ENV]
    if config is ProductionConfig or (isinstance(config, type) and issubclass(config, ProductionConfig)):
        config.validate()

    app = Flask(
        __name__,
        template_folder=os.path.join(BASE_DIR, "templates"),
        static_folder=os.path.join(BASE_DIR, "static"),
        instance_path=os.path.join(BASE_DIR, "instance"),
    )
    app.config.from_object(config)
    register_url_rules(app)
    register_extensions(app)
    register_blueprints(app)
    register_errorhandlers(app)
    register_commands(app)
    register_template_helpers(app)
    register_request_hooks(app)
    if not app.config.get("DEMO_DATA_ALLOWED"):
        refuse_demo_database(app)
    settle_heap()
    return app


def settle_heap() -> None:
    """Everything alive once the app is built (modules, the app, SQLAlchemy's and Jinja's structures) lives as long
    as the process: move it out of the cyclic garbage collector's reach (gc.freeze). Otherwise every full collection
    walks all of it: at the city tier a page loading many rows paid ~100-150 ms every few requests (the ZI member's
    start page: p50 40 ms, p95 250 ms; with the heap settled a steady 30 ms). Reference counting still frees what
    is dropped; only cycles among these start-up objects are no longer looked for."""
    gc.freeze()


def refuse_demo_database(app: Flask) -> None:
    """Production must not run on a database that holds the synthetic demo centre."""
    with app.app_context():
        try:
            if not inspect(db.engine).has_table("app_setting"):
                return
            with db.engine.connect() as conn:
                flag = conn.execute(text("SELECT value FROM app_setting WHERE key = 'demo_data'")).scalar()
        except Exception:  # noqa: BLE001 - the database may be down at start; /healthz will say so
            return
        if flag not in (None, "false", False) and str(flag).lower() not in ("false", "null"):
            raise RuntimeError("ProductionConfig: this database holds the demo data; use a clean database.")


def register_url_rules(app: Flask) -> None:
    """Bounded `<int:…>` ids (404 above the database's range) and, behind a reverse proxy, the client's own
    address and scheme from the headers of exactly CASEWORK_TRUSTED_PROXIES proxies (none by default, so a
    client cannot choose its address with X-Forwarded-For)."""
    app.url_map.converters["int"] = BoundedIntConverter
    hops = int(app.config.get("TRUSTED_PROXIES") or 0)
    if hops > 0:
        from werkzeug.middleware.proxy_fix import ProxyFix  # local import: only behind a reverse proxy

        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops)


def select_locale():
    langs = ("pl", "en")
    if not has_request_context():  # jobs, CLI, services called from tests: the default language
        return "pl"
    if current_user and getattr(current_user, "is_authenticated", False) and current_user.locale in langs:
        return current_user.locale
    if session.get("lang") in langs:
        return session["lang"]
    return "pl"


def register_extensions(app: Flask) -> None:
    # local import: every `import casework.<anything>` runs this file first, so loading the domains here at module
    # level would import them all (half-initialised) whenever a single core module is imported
    import casework.auth.session  # noqa: F401 - registers the user loader
    import casework.models  # noqa: F401 - every model, for migrations

    if app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite:///"):
        os.makedirs(app.instance_path, exist_ok=True)
    db.init_app(app)
    migrate.init_app(app, db, directory=os.path.join(BASE_DIR, "migrations"))
    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.login_message = None
    login_manager.session_protection = "basic"
    csrf.init_app(app)
    babel.init_app(app, locale_selector=select_locale,
                   default_translation_directories=os.path.join(BASE_DIR, "translations"))
    # Talisman keeps its settings on the instance, so each app gets its own (not a shared extension object).
    Talisman(
        app,
        force_https=app.config["FORCE_HTTPS"],
        strict_transport_security=app.config["FORCE_HTTPS"],
        session_cookie_secure=app.config["SESSION_COOKIE_SECURE"],
        session_cookie_http_only=True,
        content_security_policy=CSP,
        frame_options="DENY",
        referrer_policy="same-origin",
        permissions_policy={"geolocation": "()", "camera": "()", "microphone": "()"},
    )


def register_blueprints(app: Flask) -> None:
    """Each domain's views.py defines `bp`; domains are discovered, not listed."""
    for views in domain_modules("views"):
        app.register_blueprint(views.bp)
    navigation.collect()  # each views.py's NAV list: the menu


def register_errorhandlers(app: Flask) -> None:
    def render_error(code: int, title: str, message: str):
        if request_ctx and request_ctx.url_adapter is None:  # a Host outside TRUSTED_HOSTS: no links to build
            return f"{code} {title}", code, {"Content-Type": "text/plain; charset=utf-8"}
        return render_template("errors/error.html", code=code, title=title, message=message), code

    @app.errorhandler(400)
    def bad_request(_e):
        return render_error(400, _("Bad request"), _("The request could not be understood. Go back and try again."))

    @app.errorhandler(CSRFError)
    def csrf_error(_e):
        return render_error(400, _("The form has expired"),
                            _("The form was open too long or came from elsewhere. Reload the page and try again."))

    @app.errorhandler(403)
    def forbidden(_e):
        return render_error(403, _("No access"), _("You do not have access to this page."))

    @app.errorhandler(404)
    def not_found(_e):
        return render_error(404, _("Page not found"), _("The page does not exist or you do not have access to it."))

    @app.errorhandler(405)
    def method_not_allowed(_e):
        return render_error(405, _("Operation not allowed"), _("This operation is not available here."))

    @app.errorhandler(StaleDataError)
    def lost_a_save_race(_e):
        """A save that loaded the same version as another one committed first (version_id_col); views saving
        through core.errors.save answer this with their own form, any other path lands here. Nothing was kept."""
        db.session.rollback()
        return render_error(409, _("The record was saved by someone else"), conflict_message())

    @app.errorhandler(413)
    def too_large(_e):
        limit_mb = max(1, (app.config.get("MAX_CONTENT_LENGTH") or 0) // (1024 * 1024))
        return render_error(413, _("The file is too large"),
                            _("The request is larger than %(mb)d MB, the largest this system accepts. Send a "
                              "smaller file (or split it) and try again.", mb=limit_mb))

    @app.errorhandler(OperationalError)
    def database_unavailable(exc):
        """The database went away (restart, network, lock): nothing of the request was committed, so the user
        is told to try again; the page needs no database to render."""
        try:
            db.session.rollback()
        except Exception:  # noqa: BLE001 - the connection is already gone: drop it, the pool makes a new one
            db.session.invalidate()
        app.logger.error("database unavailable: %s", type(getattr(exc, "orig", exc)).__name__)

        try:
            locale = str(get_locale())
        except Exception:  # noqa: BLE001 - the user's language may be stored in the database that is gone
            locale = "pl"
        with force_locale(locale):
            body = app.jinja_env.get_template("errors/unavailable.html").render(
                locale=locale, title=_("The database is unavailable"), start=_("Go to the start page"),
                message=_("Nothing was saved. The database is unavailable for a moment; go back and try again "
                          "in a minute."))
        return body, 503, {"Retry-After": "30"}

    @app.errorhandler(500)
    def server_error(_e):
        db.session.rollback()
        return render_error(500, _("Server error"),
                            _("Something went wrong on our side. The error has been recorded; try again later."))


def register_commands(app: Flask) -> None:
    """`flask casework …`: the core commands plus every domain's cli.py `commands` list."""
    from casework.cli import casework_cli  # local import: loads every domain's cli module (see register_extensions)

    for module in domain_modules("cli"):
        for command in getattr(module, "commands", []):
            casework_cli.add_command(command)
    app.cli.add_command(casework_cli)


def register_template_helpers(app: Flask) -> None:
    from casework.auth import roles  # local import: a domain package, see register_extensions

    @app.template_filter("local_dt")
    def local_dt(value, fmt="%Y-%m-%d %H:%M"):
        local = to_local(value)
        return local.strftime(fmt) if local else ""


    formatting.register(app)  # num, money, hours, minutes_as_hours, day: Polish number/money/date formatting

    @app.context_processor
    def inject():

        return {"roles": roles, "current_locale": str(get_locale()), "nav_items": nav_items}


def refuse_nul_bytes():
    """A NUL byte is never valid input (PostgreSQL refuses it in text): answer 400 before any view runs."""
    if b"\x00" in request.query_string or b"%00" in request.query_string:
        abort(400)
    if request.method == "POST" and any("\x00" in v for _k, values in request.form.lists() for v in values):
        abort(400)


def register_request_hooks(app: Flask) -> None:
    from casework.auth.session import enforce_timeouts  # local import: a domain package, see register_extensions

    app.before_request(refuse_nul_bytes)
    app.before_request(enforce_timeouts)
    audit.init_app(app), forms.init_app(app)

    @app.after_request
    def no_store(response):
        if request.endpoint != "static":
            response.headers["Cache-Control"] = "no-store"
            response.headers["Pragma"] = "no-cache"
        return response
