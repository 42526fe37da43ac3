"""Build the whole demo: units, Lạng Sơn agencies, accounts, catalog and dossiers."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import transaction
from django.test.utils import override_settings

from digigov.accounts.models import User
from digigov.catalog.models import Procedure
from digigov.catalog.services import CatalogLoadResult, load_catalog
from digigov.dossiers.models import Dossier
from digigov.orgs.models import Agency
from digigov.orgs.services import UnitLoadResult, load_units

from . import documents, electronic, opendata
from .dossiers import DemoDossiers, DossierSummary
from .organisation import DemoOrganisation, create_accounts, create_agencies


@dataclass
class DemoResult:
    units: UnitLoadResult
    org: DemoOrganisation
    catalog: CatalogLoadResult
    dossiers: DossierSummary


def has_data() -> bool:
    """Whether someone already works in this database (reference lists do not count)."""
    return any(model.objects.exists() for model in (Agency, User, Procedure, Dossier))


def build_demo(*, dossiers: int = 300, seed: int = 2025,
               now: dt.datetime | None = None) -> DemoResult:
    """All or nothing, in one transaction. Notifications to the demo applicants are
    recorded but go to Django's dummy mail backend: no mail leaves the machine."""
    dummy_mail = override_settings(EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend")
    with dummy_mail, transaction.atomic():
        units = load_units()
        org = DemoOrganisation()
        create_agencies(org)
        create_accounts(org)
        catalog = load_catalog(org.catalog_units())
        electronic.map_paper_kinds()
        electronic.create_certificates(org)
        electronic.give_citizens_their_id_cards(org)
        summary = DemoDossiers(org, seed=seed, now=now).create(dossiers)
        electronic.issue_results(limit=20, seed=seed)
        documents.create_documents(org)
        opendata.create_open_data(org)
    return DemoResult(units=units, org=org, catalog=catalog, dossiers=summary)
