"""`flask --app wsgi casework backup FILE [--encrypt]` and `restore FILE`."""
import sys

import click

from casework.backup.crypto import KEY_ENV, is_encrypted, passphrase_from_env
from casework.backup.services import BackupError, backup, restore

KEY_ENV_HELP = f"The environment variable holding the passphrase (default {KEY_ENV})."


@click.command("backup")
@click.argument("path", type=click.Path(dir_okay=False))
@click.option("--encrypt", is_flag=True, help="Encrypt the backup (AES-256-GCM) with the passphrase in the "
                                              f"environment variable {KEY_ENV} (docs/backup.md).")
@click.option("--key-env", default=KEY_ENV, show_default=True, help=KEY_ENV_HELP)
def backup_command(path, encrypt, key_env):
    """Write a consistent backup of the database to PATH (safe while the app runs)."""
    try:
        # with --encrypt an unset variable is "" (refused with its name), never a silently plain backup
        info = backup(path, passphrase=(passphrase_from_env(key_env) or "") if encrypt else None, key_name=key_env)
    except BackupError as exc:
        click.echo(f"Error: {exc}", err=True)
        sys.exit(1)
    click.echo(f"Backup written to {path}{' (encrypted)' if encrypt else ''}: schema {info.revision}, "
               f"{info.total_rows} rows in {len(info.row_counts)} tables.")
    if not encrypt:
        click.echo("Warning: the backup is not encrypted and holds every personal record of the centre; "
                   "use --encrypt (docs/backup.md).", err=True)


@click.command("restore")
@click.argument("path", type=click.Path(exists=True, dir_okay=False))
@click.option("--replace", is_flag=True, help="Overwrite a database that already holds data.")
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
@click.option("--key-env", default=KEY_ENV, show_default=True,
              help=KEY_ENV_HELP + " Read only for an encrypted backup.")
def restore_command(path, replace, yes, key_env):
    """Restore PATH into the database DATABASE_URL names, and migrate it to the current schema. An encrypted backup
    is decrypted with the passphrase in the environment variable (the one it was made with)."""
    passphrase = None
    if is_encrypted(path):
        passphrase = passphrase_from_env(key_env)
        if passphrase is None:
            click.echo(f"Error: {path} is encrypted; set its passphrase in the environment variable {key_env}.",
                       err=True)
            sys.exit(1)
    if replace and not yes:
        click.confirm("Every row in the target database will be replaced. Continue?", abort=True)
    try:
        info = restore(path, replace=replace, passphrase=passphrase, key_name=key_env)
    except BackupError as exc:
        click.echo(f"Error: {exc}", err=True)
        sys.exit(1)
    click.echo(f"Restored {info.total_rows} rows from a backup of {info.created_at} (schema {info.revision}).")


commands = [backup_command, restore_command]
