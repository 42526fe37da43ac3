"""The text of electronic attachments is read after the receipt (documents.extraction):
right after commit by default, or by the ``documents_extract_text`` worker in queue mode;
search finds it once read."""

import pytest
from django.core.management import call_command

from digigov.documents import extraction, selectors
from digigov.documents.models import IncomingAttachment

from .test_incoming import electronic, paper

pytestmark = pytest.mark.django_db


def _found(user, words: str) -> int:
    return selectors.search(user, selectors.Filters(q=words))[0]


def test_queue_mode_leaves_the_text_to_the_worker(settings, commune_a, leader_a, capsys):
    settings.DOCUMENTS_TEXT_EXTRACTION = "queue"
    document = electronic(commune_a)
    attachment = IncomingAttachment.objects.get(document=document)
    assert attachment.text_pending and attachment.text == ""
    assert _found(leader_a, "chuyen doi so") == 1  # the subject is searchable at once

    call_command("documents_extract_text")
    assert "1 attachment(s) read." in capsys.readouterr().out
    attachment.refresh_from_db()
    document.refresh_from_db()
    assert not attachment.text_pending and "Chuyen doi so" in attachment.text
    assert "chuyen doi so" in document.search_text
    assert extraction.extract_pending() == 0  # read once


def test_text_only_in_the_attachment_is_found_once_read(settings, commune_a, leader_a):
    from tests.signing.sample_pdf import one_page_pdf

    settings.DOCUMENTS_TEXT_EXTRACTION = "queue"
    electronic(commune_a, attachments=[
        ("phu-luc.pdf", "application/pdf", one_page_pdf("Danh muc cau Khanh Khe"))])
    assert _found(leader_a, "khánh khê") == 0
    assert extraction.extract_pending() == 1
    assert _found(leader_a, "khánh khê") == 1


def test_immediate_mode_reads_the_text_after_commit(settings, commune_a,
                                                    django_capture_on_commit_callbacks):
    settings.DOCUMENTS_TEXT_EXTRACTION = "immediate"
    with django_capture_on_commit_callbacks(execute=True):
        document = electronic(commune_a)
    attachment = IncomingAttachment.objects.get(document=document)
    assert not attachment.text_pending and "Chuyen doi so" in attachment.text


def test_a_missing_file_stays_pending(settings, commune_a):
    settings.DOCUMENTS_TEXT_EXTRACTION = "queue"
    document = electronic(commune_a)
    attachment = IncomingAttachment.objects.get(document=document)
    attachment.file.storage.delete(attachment.file.name)
    assert extraction.extract_pending() == 0
    attachment.refresh_from_db()
    assert attachment.text_pending


def test_paper_scans_are_read_at_registration(settings, clerk_a, commune_a):
    settings.DOCUMENTS_TEXT_EXTRACTION = "queue"
    document = paper(clerk_a, commune_a)
    attachment = IncomingAttachment.objects.get(document=document)
    assert not attachment.text_pending and "Huong dan ho tich" in attachment.text


def test_command_refuses_bad_arguments(db):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError):
        call_command("documents_extract_text", "--limit", "0")
