"""Encrypted backup files: AES-256-GCM (the `cryptography` package) with the key derived by scrypt from a passphrase
kept in an environment variable (docs/backup.md says how to keep it).

The file: a header — the magic line, a random 16-byte salt, the scrypt cost (log2 N, r, p) and a random 12-byte
nonce — then the encrypted ZIP, then the 16-byte GCM tag. The header is authenticated with the data, so a changed
byte anywhere, a wrong passphrase or a cut file is refused before any row is restored. Encryption and decryption
stream in chunks: a backup of any size needs little memory. A fresh salt and nonce per file mean one passphrase may
protect every backup."""
import os
import secrets
import tempfile

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from cryptography.hazmat.primitives.kdf.scrypt import Scrypt

MAGIC = b"casework-backup-aes256gcm-1\n"
KEY_ENV = "CASEWORK_BACKUP_KEY"
MIN_PASSPHRASE = 16
#: scrypt cost as OWASP's password storage cheat sheet suggests (N=2^17, r=8, p=1: 128 MiB, a fraction of a second)
LOG2_N, R, P = 17, 8, 1
SALT_BYTES, NONCE_BYTES, TAG_BYTES = 16, 12, 16
HEADER_BYTES = len(MAGIC) + SALT_BYTES + 3 + NONCE_BYTES
CHUNK = 1024 * 1024


class CryptoError(ValueError):
    """A missing or short passphrase, or a file that does not decrypt (wrong passphrase, changed or cut file)."""


def passphrase_from_env(name: str = KEY_ENV) -> str | None:
    """The passphrase in the environment variable `name` (None when it is unset or empty)."""
    value = os.environ.get(name, "")
    return value or None


def check_passphrase(passphrase: str | None, name: str = KEY_ENV) -> bytes:
    if not passphrase:
        raise CryptoError(f"set the passphrase in the environment variable {name}")
    if len(passphrase) < MIN_PASSPHRASE:
        raise CryptoError(f"the passphrase in {name} is shorter than {MIN_PASSPHRASE} characters")
    return passphrase.encode("utf-8")


def _key(secret: bytes, salt: bytes, log2_n: int, r: int, p: int) -> bytes:
    if not (14 <= log2_n <= 22 and 1 <= r <= 32 and 1 <= p <= 16):
        raise CryptoError("not a casework encrypted backup (unknown key derivation cost)")
    return Scrypt(salt=salt, length=32, n=2 ** log2_n, r=r, p=p).derive(secret)


def is_encrypted(path: str) -> bool:
    with open(path, "rb") as source:
        return source.read(len(MAGIC)) == MAGIC


def encrypt_file(source_path: str, target_path: str, passphrase: str | None, *, name: str = KEY_ENV) -> None:
    """Encrypt source_path into target_path (written whole or not at all, mode 0600)."""
    secret = check_passphrase(passphrase, name)
    salt, nonce = secrets.token_bytes(SALT_BYTES), secrets.token_bytes(NONCE_BYTES)
    header = MAGIC + salt + bytes([LOG2_N, R, P]) + nonce
    encryptor = Cipher(algorithms.AES(_key(secret, salt, LOG2_N, R, P)), modes.GCM(nonce)).encryptor()
    encryptor.authenticate_additional_data(header)
    tmp = _private_temp(target_path)
    try:
        with open(source_path, "rb") as source, open(tmp, "wb") as out:
            out.write(header)
            while chunk := source.read(CHUNK):
                out.write(encryptor.update(chunk))
            out.write(encryptor.finalize())
            out.write(encryptor.tag)
        os.replace(tmp, target_path)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise


def decrypt_file(source_path: str, target_path: str, passphrase: str | None, *, name: str = KEY_ENV) -> None:
    """Decrypt source_path into target_path (mode 0600); CryptoError, and no target, when it does not decrypt."""
    secret = check_passphrase(passphrase, name)
    size = os.path.getsize(source_path)
    if size < HEADER_BYTES + TAG_BYTES:
        raise CryptoError("the encrypted backup is cut short")
    with open(source_path, "rb") as source:
        header = source.read(HEADER_BYTES)
        if not header.startswith(MAGIC):
            raise CryptoError("not a casework encrypted backup")
        salt = header[len(MAGIC):len(MAGIC) + SALT_BYTES]
        log2_n, r, p = header[len(MAGIC) + SALT_BYTES:len(MAGIC) + SALT_BYTES + 3]
        nonce = header[-NONCE_BYTES:]
        source.seek(size - TAG_BYTES)
        tag = source.read(TAG_BYTES)
        decryptor = Cipher(algorithms.AES(_key(secret, salt, log2_n, r, p)), modes.GCM(nonce, tag)).decryptor()
        decryptor.authenticate_additional_data(header)
        source.seek(HEADER_BYTES)
        left = size - HEADER_BYTES - TAG_BYTES
        fd = os.open(target_path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        try:
            with os.fdopen(fd, "wb") as out:
                while left > 0:
                    chunk = source.read(min(CHUNK, left))
                    if not chunk:
                        raise CryptoError("the encrypted backup is cut short")
                    left -= len(chunk)
                    out.write(decryptor.update(chunk))
                try:
                    out.write(decryptor.finalize())
                except InvalidTag:
                    raise CryptoError("the backup does not decrypt: a wrong passphrase, or the file was changed "
                                      "or cut") from None
        except BaseException:
            os.unlink(target_path)
            raise


def _private_temp(target_path: str) -> str:
    directory = os.path.dirname(os.path.abspath(target_path)) or "."
    fd, tmp = tempfile.mkstemp(suffix=".part", dir=directory)  # mode 0600
    os.close(fd)
    return tmp
