"""`flask --app wsgi casework report <name> --year Y [--half H] --format docx|xlsx|csv|json -o FILE`, and loading a
programme's structure (`report load-programme FILE.json`)."""
import json
import sys

import click
from flask import current_app

from casework.core import periods
from casework.extensions import db
from casework.indicators.cli import report_cli
from casework.reports import document, registry, services


def _write(data, output):
    if output:
        mode = "wb" if isinstance(data, bytes) else "w"
        with open(output, mode, **({} if mode == "wb" else {"encoding": "utf-8"})) as fh:
            fh.write(data)
        click.echo(f"written {output}", err=True)
    elif isinstance(data, bytes):
        raise click.UsageError("binary formats need -o FILE")
    else:
        sys.stdout.write(data)


def _named_command(named):
    @click.option("--year", type=int, required=True, help="The reporting year.")
    @click.option("--half", type=click.Choice(["1", "2"]), help="The half-year (for half-yearly reports).")
    @click.option("--format", "fmt", type=click.Choice(sorted(document.RENDERERS)), default="json",
                  show_default=True)
    @click.option("-o", "--output", type=click.Path(dir_okay=False), help="Write to a file instead of stdout.")
    def command(year, half, fmt, output):
        if named.period_kind == registry.HALF:
            if not half:
                raise click.UsageError("this report is half-yearly: give --half 1 or 2")
            period = periods.half(year, int(half))
        else:
            period = periods.year(year)
        with current_app.test_request_context():  # labels in the default language, URLs for notes
            render, _mimetype = document.RENDERERS[fmt]
            _write(render(named.build(period, "pl")), output)

    command.__doc__ = f"The {named.name} report ({named.period_kind}ly)."
    return click.command(named.name)(command)


@report_cli.command("load-programme")
@click.argument("path", type=click.Path(exists=True, dir_okay=False))
def load_programme(path):
    """Create a programme from a structure file (the JSON shape of casework/reports/examples)."""
    with open(path, encoding="utf-8") as fh:
        data = json.load(fh)
    try:
        programme = services.load_structure(data, actor=None)
    except services.ReportRuleError as exc:
        raise click.ClickException("; ".join(exc.messages)) from exc
    db.session.commit()
    click.echo(f"programme {programme.id}: {programme.name}")


def register_named_reports():
    for named in registry.all_reports():
        if named.name not in report_cli.commands:
            report_cli.add_command(_named_command(named))


register_named_reports()
commands = []
