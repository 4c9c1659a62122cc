#!/usr/bin/env python3
"""Makes throw-away certificates for the TLS tests with Python's `cryptography` package.

Usage: make_certificates.py DIRECTORY

Writes to DIRECTORY:
  ca.pem                        a test certificate authority (the client trusts it)
  server.pem, server.key        for "localhost" and 127.0.0.1, signed by ca.pem
  wrong-name.pem, wrong-name.key  for "mail.elsewhere.test" only, signed by ca.pem
  untrusted.pem, untrusted.key  for "localhost", signed by another authority nobody trusts
"""
import datetime
import ipaddress
import pathlib
import sys

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

NOW = datetime.datetime.now(datetime.timezone.utc)


def key():
    return ec.generate_private_key(ec.SECP256R1())


def authority(name):
    private = key()
    subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, name)])
    certificate = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(subject)
        .public_key(private.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(NOW - datetime.timedelta(hours=1))
        .not_valid_after(NOW + datetime.timedelta(days=2))
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(
            x509.KeyUsage(True, False, False, False, False, True, True, False, False), critical=True
        )
        .sign(private, hashes.SHA256())
    )
    return certificate, private


def leaf(names, issuer, issuer_key):
    private = key()
    alternatives = []
    for name in names:
        try:
            alternatives.append(x509.IPAddress(ipaddress.ip_address(name)))
        except ValueError:
            alternatives.append(x509.DNSName(name))
    certificate = (
        x509.CertificateBuilder()
        .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, names[0])]))
        .issuer_name(issuer.subject)
        .public_key(private.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(NOW - datetime.timedelta(hours=1))
        .not_valid_after(NOW + datetime.timedelta(days=2))
        .add_extension(x509.SubjectAlternativeName(alternatives), critical=False)
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(x509.ExtendedKeyUsage([x509.oid.ExtendedKeyUsageOID.SERVER_AUTH]), critical=False)
        .sign(issuer_key, hashes.SHA256())
    )
    return certificate, private


def write(directory, stem, certificate, private=None):
    (directory / f"{stem}.pem").write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
    if private is not None:
        (directory / f"{stem}.key").write_bytes(
            private.private_bytes(
                serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
            )
        )


def main():
    directory = pathlib.Path(sys.argv[1])
    ca, ca_key = authority("Dapodik Test CA")
    write(directory, "ca", ca)
    write(directory, "server", *leaf(["localhost", "127.0.0.1"], ca, ca_key))
    write(directory, "wrong-name", *leaf(["mail.elsewhere.test"], ca, ca_key))
    other, other_key = authority("Nobody Trusts This CA")
    write(directory, "untrusted", *leaf(["localhost", "127.0.0.1"], other, other_key))


if __name__ == "__main__":
    main()
