"""The template language that administrators write documents in.

Django's template language, run by a separate engine that knows no template
files and no tag libraries beyond the built-in tags and filters, so that
``{% include %}``, ``{% extends %}`` and ``{% load %}`` find nothing. The
context holds only plain values (strings, numbers, dates, lists and dicts
built by ``context.py``), never model instances: a template cannot follow a
relation to data it was not given, nor call a method that changes state.
"""

from __future__ import annotations

from functools import cache

from django.template import Context, Engine, TemplateSyntaxError
from django.utils.translation import gettext as _

from digigov.core.errors import InvalidInput

# The templated parts of a document and their labels for error messages.
PARTS = ("title", "number_notation", "body", "signer_authority", "signer_title", "signer_name",
         "co_signer_title", "co_signer_name", "recipients")


@cache
def engine() -> Engine:
    return Engine(dirs=[], app_dirs=False, libraries={}, autoescape=True, debug=False,
                  string_if_invalid="", loaders=[("django.template.loaders.locmem.Loader", {})])


class TemplateProblem(InvalidInput):
    """A document template that does not compile or does not render."""


def render_part(source: str, context: dict) -> str:
    template = engine().from_string(source)
    return template.render(Context(context, autoescape=True))


def render_parts(parts: dict[str, str], context: dict) -> dict[str, str]:
    """Render every templated part; ``TemplateProblem`` names the part and the reason."""
    rendered, errors = {}, {}
    for name, source in parts.items():
        try:
            rendered[name] = render_part(source or "", context)
        except TemplateSyntaxError as exc:
            errors[name] = [_("Mẫu có lỗi cú pháp: %(reason)s") % {"reason": exc}]
        except Exception as exc:  # noqa: BLE001 - any failure of an edited template is reported
            errors[name] = [_("Mẫu không hiển thị được với dữ liệu mẫu: %(reason)s")
                            % {"reason": f"{type(exc).__name__}: {exc}"}]
    if errors:
        raise TemplateProblem(_("Mẫu văn bản có lỗi: %(parts)s.") % {"parts": ", ".join(errors)},
                              fields=errors)
    return rendered
