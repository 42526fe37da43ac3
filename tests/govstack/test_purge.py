import datetime as dt
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from digigov.govstack.models import StagedDocument

from .conftest import Api


def test_purge_deletes_only_old_unattached_uploads(procedure, citizen):
    client = Api(citizen)
    client.upload()
    client.upload()
    old, recent = StagedDocument.objects.order_by("pk")
    StagedDocument.objects.filter(pk=old.pk).update(
        uploaded_at=timezone.now() - dt.timedelta(days=8))
    old_path = old.file.path
    call_command("purge_staged_documents", "--days", "7")
    assert list(StagedDocument.objects.all()) == [recent]
    assert not Path(old_path).exists()
    assert Path(recent.file.path).read_bytes().startswith(b"%PDF")


def test_purge_refuses_a_zero_day_window(db):
    with pytest.raises(CommandError):
        call_command("purge_staged_documents", "--days", "0")
