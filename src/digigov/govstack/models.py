"""Adapter state: files uploaded through ``POST /documents`` before an application names them."""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


def staged_document_path(instance: "StagedDocument", filename: str) -> str:
    # No personal data in paths: a random name.
    return f"govstack/staged/{uuid.uuid4().hex}"


class StagedDocument(models.Model):
    """An uploaded file waiting to be attached to an application (or a supplement).

    It becomes a ``DossierFile`` when an application lists its URL, and the
    staged copy is then deleted. Only its uploader may attach it.
    """

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                              related_name="+")
    component_id = models.CharField(_("thành phần hồ sơ"), max_length=20, blank=True)
    metadata = models.JSONField(default=dict, blank=True)
    file = models.FileField(upload_to=staged_document_path)
    original_name = models.CharField(max_length=255)
    content_type = models.CharField(max_length=100)
    size = models.PositiveBigIntegerField()
    sha256 = models.CharField(max_length=64)
    uploaded_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["uploaded_at"]
        verbose_name = _("tệp tải lên chờ đính kèm")
        verbose_name_plural = _("tệp tải lên chờ đính kèm")

    def __str__(self) -> str:
        return self.original_name
