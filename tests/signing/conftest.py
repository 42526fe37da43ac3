"""Signing fixtures: a local CA, certificates for commune A and its leader, test PDFs."""

import datetime as dt
import http.server
import shutil
import subprocess
import threading

import pytest
from asn1crypto import keys as asn1_keys
from asn1crypto import tsp
from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID
from pyhanko.sign.timestamps.dummy_client import DummyTimeStamper

from digigov.signing import keystore, pki, services
from digigov.signing.stamps import SignatureArea
from tests.dossiers.conftest import (  # noqa: F401 - a dossier's life up to its result
    at_leader,
    at_specialist,
    new_dossier,
    processed,
    received,
)

from .sample_pdf import one_page_pdf

AREA = SignatureArea(page=0, x1=330, y1=150, x2=520, y2=210)


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.SIGNING_TSA_URL = ""


@pytest.fixture
def ca(db):
    return services.create_local_ca("CA thử nghiệm digigov")


def ca_key_and_cert(root):
    return (keystore.decrypt_private_key(root.encrypted_key),
            pki.load_certificate(bytes(root.certificate)))


@pytest.fixture
def agency_credential(ca, commune_a):
    return services.issue_credential(agency=commune_a)


@pytest.fixture
def officer_credential(ca, leader_a):
    return services.issue_credential(officer=leader_a)


@pytest.fixture
def pdf_bytes():
    return one_page_pdf()


@pytest.fixture
def signed(agency_credential, officer_credential, commune_a, leader_a, pdf_bytes):
    return services.sign_pdf(pdf_bytes, officer=leader_a, agency=commune_a, area=AREA)


def foreign_ca(name="CA lạ"):
    return pki.create_ca(name)


def make_pkcs12(key, cert, password: bytes | None = b"mat-khau", extra=None) -> bytes:
    encryption = (serialization.BestAvailableEncryption(password) if password
                  else serialization.NoEncryption())
    return pkcs12.serialize_key_and_certificates(b"test", key, cert, extra, encryption)


def tls_server_certificate(ca_key, ca_cert):
    """A certificate for a web server: it must not be accepted to sign documents."""
    key = pki.new_key("ec")
    now = dt.datetime.now(dt.UTC)
    cert = (x509.CertificateBuilder()
            .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "dvc.example.vn")]))
            .issuer_name(ca_cert.subject).public_key(key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(now - dt.timedelta(days=1))
            .not_valid_after(now + dt.timedelta(days=90))
            .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH]),
                           critical=False)
            .sign(ca_key, hashes.SHA256()))
    return key, cert


@pytest.fixture
def tsa_url(ca):
    """A real RFC 3161 server over HTTP on localhost, answering with pyHanko's TSA."""
    ca_key, ca_cert = ca_key_and_cert(ca)
    key = pki.new_key("rsa")
    now = dt.datetime.now(dt.UTC)
    cert = (x509.CertificateBuilder()
            .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "TSA thử nghiệm")]))
            .issuer_name(ca_cert.subject).public_key(key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(now - dt.timedelta(days=1))
            .not_valid_after(now + dt.timedelta(days=365))
            .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.TIME_STAMPING]),
                           critical=True)
            .sign(ca_key, hashes.SHA256()))
    stamper = DummyTimeStamper(
        tsa_cert=asn1_x509.Certificate.load(pki.der(cert)),
        tsa_key=asn1_keys.PrivateKeyInfo.load(key.private_bytes(
            serialization.Encoding.DER, serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption())))

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_POST(self):  # noqa: N802 - http.server's naming
            body = self.rfile.read(int(self.headers["Content-Length"]))
            reply = stamper.request_tsa_response(tsp.TimeStampReq.load(body)).dump()
            self.send_response(200)
            self.send_header("Content-Type", "application/timestamp-reply")
            self.send_header("Content-Length", str(len(reply)))
            self.end_headers()
            self.wfile.write(reply)

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()
    server.server_close()


PDFSIG = shutil.which("pdfsig")
needs_pdfsig = pytest.mark.skipif(
    PDFSIG is None, reason="poppler's pdfsig is not installed (apt-get install poppler-utils)")


def pdfsig(path) -> str:
    return subprocess.run([PDFSIG, str(path)],  # noqa: S603 - our own test file
                          capture_output=True, text=True, timeout=60).stdout
