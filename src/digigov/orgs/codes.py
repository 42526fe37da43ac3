"""Electronic agency identifiers (Decision 20/2020/QD-TTg, amended by 09/2025).

Up to 35 characters of 0-9A-Z in groups separated by dots. The common shape is
``V1V2V3.Z1Z2.Y1Y2.MX1X2`` read right to left: level 1 ``MX1X2`` (a letter
and two digits: G ministry, H provincial People's Committee, K People's
Council, ...), then two-character levels 2 and 3, then three-character level 4.
"""

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

ORGAN_CODE_RE = re.compile(r"^[0-9A-Z]{3}\.[0-9A-Z]{2}\.[0-9A-Z]{2}\.[A-Z][0-9A-Z]{2}$")


def validate_organ_code(value: str) -> None:
    if len(value) > 35 or not ORGAN_CODE_RE.match(value):
        raise ValidationError(
            _("Mã định danh “%(value)s” không đúng dạng V1V2V3.Z1Z2.Y1Y2.MX1X2 "
              "(Quyết định 20/2020/QĐ-TTg)."),
            code="invalid_organ_code",
            params={"value": value},
        )


def level1(code: str) -> str:
    """The level-1 group (e.g. ``H29``), which names the ministry or province."""
    return code.rsplit(".", 1)[-1]
