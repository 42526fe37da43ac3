"""E-mails to applicants are written in the applicant's language, whoever acts."""

import pytest

from digigov.dossiers import services
from tests.conftest import FORM, component_files, vn

MONDAY_9 = vn(2026, 3, 2, 9, 0)

EXPECTED = {
    "en": {
        "submit": "Dossier {code} has been registered",
        "receive": "Dossier {code} has been received",
        "body": [
            "Dear Nguyễn Văn A,",
            "Dossier {code} (Đăng ký khai sinh)",
            "Status: Received",
            "Due date for the result: ",
            "Track a dossier: ",
        ],
    },
    "id": {
        "submit": "Berkas permohonan {code} telah didaftarkan",
        "receive": "Berkas permohonan {code} telah diterima",
        "body": [
            "Yth. Nguyễn Văn A,",
            "Berkas permohonan {code} (Đăng ký khai sinh)",
            "Status: Diterima",
            "Tanggal penyerahan hasil: ",
            "Lacak berkas permohonan: ",
        ],
    },
}


@pytest.mark.parametrize("language", ["en", "id"])
def test_applicant_is_written_to_in_their_language(
    language,
    procedure,
    citizen,
    commune_a,
    counter_a,
    mailoutbox,
    django_capture_on_commit_callbacks,
):
    citizen.language = language
    citizen.save()
    with django_capture_on_commit_callbacks(execute=True):
        dossier = services.submit_online(
            applicant=citizen,
            procedure=procedure,
            form_data=FORM,
            files=component_files(procedure),
            agency=commune_a,
            now=MONDAY_9,
        )
    with django_capture_on_commit_callbacks(execute=True):
        services.receive(officer=counter_a, dossier=dossier, now=MONDAY_9)  # official: Vietnamese

    expected = EXPECTED[language]
    assert [m.subject for m in mailoutbox] == [
        expected["submit"].format(code=dossier.code),
        expected["receive"].format(code=dossier.code),
    ]
    body = mailoutbox[1].body
    missing = [
        text.format(code=dossier.code)
        for text in expected["body"]
        if text.format(code=dossier.code) not in body
    ]
    assert missing == []
    assert "Kính gửi" not in body and "Trạng thái" not in body


def test_vietnamese_applicant_still_gets_vietnamese(
    procedure, citizen, commune_a, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        dossier = services.submit_online(
            applicant=citizen,
            procedure=procedure,
            form_data=FORM,
            files=component_files(procedure),
            agency=commune_a,
            now=MONDAY_9,
        )
    assert mailoutbox[0].subject == f"Hồ sơ {dossier.code} đã được đăng ký"
    assert mailoutbox[0].body.startswith("Kính gửi Nguyễn Văn A,")
