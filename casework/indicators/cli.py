"""`flask --app wsgi casework report …`: the indicators (and, later, the named reports other domains add)."""
import sys

import click

from casework.core import periods
from casework.core.errors import RuleError
from casework.extensions import db
from casework.indicators import engine, exports, quality, services

report_cli = click.Group("report", help="Reports and indicators.")


def _period(date_from, date_to, year, half):
    if half and not year:
        raise click.UsageError("--half needs --year")
    if (date_from or date_to) and year:
        raise click.UsageError("give either --from/--to or --year")
    try:
        return periods.from_args({"from": date_from, "to": date_to, "year": year, "half": half})
    except periods.PeriodError as exc:
        raise click.UsageError(str(exc)) from exc


@report_cli.command("indicators")
@click.option("--from", "date_from", help="First day of the period (YYYY-MM-DD).")
@click.option("--to", "date_to", help="Last day of the period (YYYY-MM-DD).")
@click.option("--year", type=int, help="A calendar year (shorthand).")
@click.option("--half", type=click.Choice(["1", "2"]), help="With --year: the first or second half-year.")
@click.option("--format", "fmt", type=click.Choice(["json", "csv", "xlsx", "docx"]), default="json", show_default=True)
@click.option("-o", "--output", type=click.Path(dir_okay=False), help="Write to a file instead of stdout.")
def indicators(date_from, date_to, year, half, fmt, output):
    """Every registered indicator for a period, as INDICATORS.md describes (default: the current year)."""
    period = _period(date_from, date_to, year, half)
    if fmt == "json":
        data = exports.to_json(engine.as_json(period)).encode() + b"\n"
    else:
        values = engine.compute(period)
        rows = exports.table_rows(values, engine.compute(period.previous_year()))
        headers = ("kod", "wskaźnik", period.label, period.previous_year().label)
        if fmt == "csv":
            data = exports.to_csv(period, rows, headers).encode("utf-8-sig")
        elif fmt == "xlsx":
            data = exports.to_xlsx(period, rows, headers, "Wskaźniki")
        else:
            data = exports.to_docx(period, rows, headers, "Wskaźniki", values)
    if output:
        with open(output, "wb") as f:
            f.write(data)
    elif fmt in ("xlsx", "docx"):
        raise click.UsageError(f"--format {fmt} needs -o FILE")
    else:
        sys.stdout.write(data.decode("utf-8-sig" if fmt == "csv" else "utf-8"))


@report_cli.command("quality")
@click.option("--from", "date_from", help="First day of the period (YYYY-MM-DD).")
@click.option("--to", "date_to", help="Last day of the period (YYYY-MM-DD).")
@click.option("--year", type=int, help="A calendar year (shorthand).")
@click.option("--half", type=click.Choice(["1", "2"]), help="With --year: the first or second half-year.")
def quality_command(date_from, date_to, year, half):
    """The data check run before closing: each problem with the records to fix (ids only, no personal data)."""
    period = _period(date_from, date_to, year, half)
    found = quality.run(period, limit=1000)
    for item in found:
        ids = ", ".join(str(r["id"]) for r in item["records"])
        click.echo(f"{item['check'].code} ({item['count']}): {item['check'].record_type} {ids}")
    if not found:
        click.echo("no problems found")


@report_cli.command("close")
@click.option("--from", "date_from", help="First day of the period (YYYY-MM-DD).")
@click.option("--to", "date_to", help="Last day of the period (YYYY-MM-DD).")
@click.option("--year", type=int, help="A calendar year (shorthand).")
@click.option("--half", type=click.Choice(["1", "2"]), help="With --year: the first or second half-year.")
@click.option("--note", help="A note stored with the closing.")
def close_command(date_from, date_to, year, half, note):
    """Close (freeze) a period that has ended: the same rule as the "Close the period" page."""
    period = _period(date_from, date_to, year, half)
    try:
        services.close_period(period, None, note)
    except services.PeriodAlreadyClosed:
        db.session.rollback()
        raise click.ClickException("the period is already closed")
    except RuleError as exc:
        db.session.rollback()
        raise click.ClickException("; ".join(str(m) for m in exc.messages))
    db.session.commit()
    click.echo(f"closed {period.start.isoformat()} – {period.end.isoformat()}")


#: discovered by casework.register_commands; other domains add their reports to `report_cli`
commands = [report_cli]
