"""The signing key and certificate every PDF is signed with, and a self-signed one for development.

Production sets YSI_SIGNING_KEY / YSI_SIGNING_CERT (PEM files) and, if the key is encrypted,
YSI_SIGNING_KEY_PASSPHRASE. A setting may have its own pair under
`<directory of YSI_SIGNING_KEY>/settings/<setting code>/{key,cert}.pem`; it is used when present.
"""

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from incidents.models import Setting


@dataclass(frozen=True)
class SigningFiles:
    key: Path
    cert: Path
    passphrase: bytes | None


def default_files() -> SigningFiles:
    passphrase = settings.YSI_SIGNING_KEY_PASSPHRASE
    return SigningFiles(
        Path(settings.YSI_SIGNING_KEY), Path(settings.YSI_SIGNING_CERT), passphrase.encode() if passphrase else None
    )


def setting_files(setting: Setting) -> SigningFiles:
    default = default_files()
    folder = default.key.parent / "settings" / str(setting.code)
    return SigningFiles(folder / "key.pem", folder / "cert.pem", default.passphrase)


def files_for(setting: Setting | None) -> SigningFiles:
    if setting is not None:
        own = setting_files(setting)
        if own.key.exists() and own.cert.exists():
            return own
    files = default_files()
    if not (files.key.exists() and files.cert.exists()):
        raise ImproperlyConfigured(
            f"No signing key at {files.key} and certificate at {files.cert}. Run `python manage.py "
            "create_signing_key` for development, or set YSI_SIGNING_KEY and YSI_SIGNING_CERT (see README)."
        )
    return files


def create_self_signed(*, files: SigningFiles, common_name: str, organisation: str = "YSI", years: int = 5) -> None:
    """Write a new EC P-256 key and a self-signed certificate for document signing (demo and development)."""
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name(
        [
            x509.NameAttribute(NameOID.COMMON_NAME, common_name),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, organisation),
        ]
    )
    now = dt.datetime.now(dt.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(minutes=5))
        .not_valid_after(now + dt.timedelta(days=365 * years))
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=True,
                content_commitment=True,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=False,
                crl_sign=False,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.EMAIL_PROTECTION]), critical=False)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .sign(key, hashes.SHA256())
    )
    encryption = (
        serialization.BestAvailableEncryption(files.passphrase) if files.passphrase else serialization.NoEncryption()
    )
    files.key.parent.mkdir(parents=True, exist_ok=True)
    files.key.parent.chmod(0o700)
    files.key.write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, encryption))
    files.key.chmod(0o600)
    files.cert.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
