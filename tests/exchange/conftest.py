"""Exchange fixtures: a local CA with certificates for communes A and B, a remote
instance's CA and agency ("peer"), package builders, and a stand-in for the documents
side where a test does not need the real one."""

from __future__ import annotations

import datetime as dt
import itertools
import uuid
from types import SimpleNamespace

import pytest
from cryptography.hazmat.primitives import serialization

from digigov.exchange import bridge, edxml, services, xmlsig
from digigov.signing import keystore, pki
from digigov.signing import services as signing
from digigov.signing.models import SigningCredential

REMOTE_CODE = "000.00.00.H29"
REMOTE_NAME = "UBND Thành phố Hồ Chí Minh"
PDF = b"%PDF-1.4\n% tep dinh kem\n%%EOF\n"


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def ca(db):
    return signing.create_local_ca("CA nội bộ thử nghiệm")


@pytest.fixture
def cred_a(ca, commune_a):
    return signing.issue_credential(agency=commune_a)


@pytest.fixture
def cred_b(ca, commune_b):
    return signing.issue_credential(agency=commune_b)


class Remote:
    """Another instance: its own CA, one agency and its key, outside this database."""

    def __init__(self, code=REMOTE_CODE, name=REMOTE_NAME, key_type="rsa"):
        self.code, self.name = code, name
        self.ca_key, self.ca_cert = pki.create_ca(f"CA {name}")
        self.key, self.cert = pki.issue_signing_certificate(
            self.ca_key, self.ca_cert, common_name=name, organization=name, uid=code,
            key_type=key_type)
        # A detached credential-like object, as xmlsig.sign expects.
        self.credential = SimpleNamespace(
            fingerprint=pki.fingerprint(self.cert), certificate=pki.der(self.cert),
            chain_pem="", encrypted_key=keystore.encrypt_private_key(self.key))

    @property
    def ca_pem(self) -> str:
        return self.ca_cert.public_bytes(serialization.Encoding.PEM).decode()

    @property
    def cert_pem(self) -> str:
        return self.cert.public_bytes(serialization.Encoding.PEM).decode()

    def organ(self) -> edxml.Organ:
        return edxml.Organ(code=self.code, name=self.name)

    def sign(self, root) -> bytes:
        return edxml.serialize(xmlsig.sign(root, self.credential))


@pytest.fixture
def remote(db):
    return Remote()


@pytest.fixture
def peer(remote):
    return services.add_peer(name="Hệ thống TP.HCM", endpoint_url="https://hcm.example.vn/lien-thong/edxml/",
                             certificate_pem=remote.ca_pem, organ_codes=[remote.code])


_numbers = itertools.count(1)


def document_package(sender: edxml.Organ, recipients: list[edxml.Organ] | None = None,
                     **overrides):
    recipients = recipients if recipients is not None else overrides.pop("recipients")
    number = overrides.pop("number", f"{next(_numbers):02d}")
    fields = dict(
        package_id=str(uuid.uuid4()), sender=sender, recipients=recipients, number=number,
        notation="UBND-VP", place="Lạng Sơn", issued_on=dt.date(2026, 11, 20),
        type_code="CV", type_name="Công văn", subject="V/v triển khai chuyển đổi số năm 2027",
        content="Đề nghị các cơ quan phối hợp thực hiện.", signer_competence="KT. CHỦ TỊCH",
        signer_position="Phó Chủ tịch", signer_name="Nguyễn Văn Ánh",
        due_on=dt.date(2026, 12, 15), to_places=[r.name for r in recipients], priority=1,
        page_amount=2, promulgation_amount=3, appendixes=["Phụ lục I"],
        traces=[(sender.code, dt.datetime(2026, 11, 20, 9, 0, tzinfo=edxml.VN))],
        attachments=[edxml.Attachment(name="cong-van.pdf", media_type="application/pdf",
                                      data=PDF, description="Văn bản chính")])
    fields.update(overrides)
    return edxml.DocumentPackage(**fields)


def status_package(sender: edxml.Organ, recipient: edxml.Organ, document_id: str, code="03",
                   **overrides):
    fields = dict(package_id=str(uuid.uuid4()), sender=sender, recipient=recipient,
                  document_id=document_id, status_code=code,
                  timestamp=dt.datetime(2026, 11, 20, 10, 0, tzinfo=edxml.VN),
                  description="Đã vào sổ văn bản đến", department="Văn phòng",
                  staff="Trần Thị Bình",
                  traces=[(sender.code, dt.datetime(2026, 11, 20, 10, 0, tzinfo=edxml.VN))])
    fields.update(overrides)
    return edxml.StatusPackage(**fields)


class FakeDocuments:
    """Records what the exchange asks of the documents app."""

    def __init__(self):
        self.registered: list[dict] = []
        self.statuses: list[dict] = []
        self.refuse_with = None

    def register(self, **fields):
        if self.refuse_with is not None:
            raise self.refuse_with
        self.registered.append(fields)
        # No document row behind it, so the inbox row links to none.
        return SimpleNamespace(pk=None)

    def record(self, outgoing_document_id, **fields):
        self.statuses.append({"outgoing": outgoing_document_id, **fields})


@pytest.fixture
def fake_documents(monkeypatch):
    fake = FakeDocuments()
    monkeypatch.setattr(bridge, "register_incoming", fake.register)
    monkeypatch.setattr(bridge, "record_status", fake.record)
    return fake


def organ(agency) -> edxml.Organ:
    return edxml.Organ(code=agency.code, name=agency.name)


def credential_of(agency) -> SigningCredential:
    return SigningCredential.objects.get(agency=agency, is_active=True)


def failing_second_call(register):
    """``register`` that raises "database busy" on its second call: a failure mid-batch."""
    calls = {"n": 0}

    def flaky(**fields):
        calls["n"] += 1
        if calls["n"] == 2:
            raise RuntimeError("database busy")
        return register(**fields)

    return flaky
