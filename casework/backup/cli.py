"""`flask --app wsgi casework backup FILE` and `restore FILE`."""
import sys

import click

from casework.backup.services import BackupError, backup, restore


@click.command("backup")
@click.argument("path", type=click.Path(dir_okay=False))
def backup_command(path):
    """Write a consistent backup of the database to PATH (safe while the app runs)."""
    try:
        info = backup(path)
    except BackupError as exc:
        click.echo(f"Error: {exc}", err=True)
        sys.exit(1)
    click.echo(f"Backup written to {path}: schema {info.revision}, {info.total_rows} rows "
               f"in {len(info.row_counts)} tables.")


@click.command("restore")
@click.argument("path", type=click.Path(exists=True, dir_okay=False))
@click.option("--replace", is_flag=True, help="Overwrite a database that already holds data.")
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
def restore_command(path, replace, yes):
    """Restore PATH into the database DATABASE_URL names, and migrate it to the current schema."""
    if replace and not yes:
        click.confirm("Every row in the target database will be replaced. Continue?", abort=True)
    try:
        info = restore(path, replace=replace)
    except BackupError as exc:
        click.echo(f"Error: {exc}", err=True)
        sys.exit(1)
    click.echo(f"Restored {info.total_rows} rows from a backup of {info.created_at} (schema {info.revision}).")


commands = [backup_command, restore_command]
