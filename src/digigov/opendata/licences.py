"""The licences a dataset may be published under (the CKAN licence list, DCAT-AP licences).

A fixed table in code: a licence is a legal text, not data an administrator edits.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Licence:
    id: str
    title: str
    url: str
    od_conformance: str = "approved"   # Open Definition conformance, as in CKAN's licence list


LICENCES: dict[str, Licence] = {licence.id: licence for licence in (
    Licence("CC-BY-4.0", "Creative Commons Attribution 4.0",
            "https://creativecommons.org/licenses/by/4.0/"),
    Licence("CC-BY-SA-4.0", "Creative Commons Attribution Share-Alike 4.0",
            "https://creativecommons.org/licenses/by-sa/4.0/"),
    Licence("CC0-1.0", "Creative Commons CCZero 1.0",
            "https://creativecommons.org/publicdomain/zero/1.0/"),
    Licence("ODC-BY-1.0", "Open Data Commons Attribution License 1.0",
            "https://opendatacommons.org/licenses/by/1-0/"),
    Licence("ODbL-1.0", "Open Data Commons Open Database License 1.0",
            "https://opendatacommons.org/licenses/odbl/1-0/"),
    Licence("ODC-PDDL-1.0", "Open Data Commons Public Domain Dedication and License 1.0",
            "https://opendatacommons.org/licenses/pddl/1-0/"),
)}

DEFAULT_LICENCE = "CC-BY-4.0"


def licence_choices() -> list[tuple[str, str]]:
    return [(lic.id, f"{lic.title} ({lic.id})") for lic in LICENCES.values()]


def get(licence_id: str) -> Licence | None:
    return LICENCES.get(licence_id)


# Update frequencies, with their EU "frequency" authority table codes (DCAT-AP).
FREQUENCIES = {
    "continuous": ("CONT", _("Liên tục")),
    "daily": ("DAILY", _("Hằng ngày")),
    "weekly": ("WEEKLY", _("Hằng tuần")),
    "monthly": ("MONTHLY", _("Hằng tháng")),
    "quarterly": ("QUARTERLY", _("Hằng quý")),
    "annual": ("ANNUAL", _("Hằng năm")),
    "irregular": ("IRREG", _("Không định kỳ")),
    "never": ("NEVER", _("Không cập nhật")),
}

FREQUENCY_BASE = "http://publications.europa.eu/resource/authority/frequency/"
FILE_TYPE_BASE = "http://publications.europa.eu/resource/authority/file-type/"
MEDIA_TYPE_BASE = "https://www.iana.org/assignments/media-types/"
