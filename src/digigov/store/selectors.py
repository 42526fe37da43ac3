"""Read queries of the data store, shared by the pages and the API."""

from __future__ import annotations

from django.db.models import QuerySet

from .models import PaperUse, StoredPaper


def my_papers(user) -> QuerySet[StoredPaper]:
    return (StoredPaper.objects.filter(owner=user)
            .select_related("kind", "dossier").order_by("-created_at", "-pk"))


def my_paper_uses(user) -> QuerySet[PaperUse]:
    """Which agency used which of the owner's papers for which dossier, newest first."""
    return (PaperUse.objects.filter(paper__owner=user)
            .select_related("paper", "paper__kind", "dossier", "dossier__procedure", "agency")
            .order_by("-used_at", "-pk"))
