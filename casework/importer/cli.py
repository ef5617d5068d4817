"""`flask --app wsgi casework import PATH [--dry-run]`: the same checks and writing as the web import."""
import sys
from contextlib import ExitStack
from pathlib import Path

import click

from casework.extensions import db
from casework.importer import services


@click.command("import")
@click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False))
@click.option("--dry-run", is_flag=True, help="Check every row and report; write nothing.")
def import_command(paths, dry_run):
    """Import families, members, support periods, visits, team meetings, institutions, contacts and foster care
    (children, placements, PCPR bills) from an XLSX workbook or CSV files named after the sheets (docs/import.md).
    Nothing is written unless every row is valid."""
    sheets, problems = {}, []
    for path in paths:
        with open(path, "rb") as fh:
            read, read_problems = services.read_workbook(fh, Path(path).name)
        sheets.update(read)
        problems += read_problems
    total = sum(len(rows) for rows in sheets.values())
    with ExitStack() as bars:
        writing = []

        def written(n):
            if not writing:  # the second bar opens when every row has passed the checks
                writing.append(bars.enter_context(click.progressbar(length=total, label="writing", file=sys.stderr)))
            writing[0].update(n)

        with click.progressbar(length=total, label="checking", file=sys.stderr) as bar:
            report = services.run(sheets, dry_run=dry_run, progress=bar.update, write_progress=written)
    report.problems = problems + report.problems
    for p in report.problems[:500]:
        click.echo(f"{p.sheet}: wiersz {p.row}, kolumna {p.column or '—'}: {p.message}", err=True)
    if report.problems:
        db.session.rollback()
        click.echo(f"{len(report.problems)} errors; nothing was imported.", err=True)
        sys.exit(1)
    if dry_run:
        db.session.rollback()
    else:
        db.session.commit()
    for sheet, c in report.counts.items():
        if c["new"] or c["existing"]:
            click.echo(f"{sheet}: new {c['new']}, updated {c['updated']}, unchanged {c['unchanged']}"
                       + (" (dry run)" if dry_run else ""))


commands = [import_command]
