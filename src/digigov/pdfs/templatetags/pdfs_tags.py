"""Download links for the PDF forms, included by the dossier pages."""

from django import template

from digigov.dossiers import selectors

from ..views import APPLICANT_FORMS

register = template.Library()


@register.inclusion_tag("pdfs/portal_forms.html")
def applicant_forms(dossier):
    """The forms 01-05 the applicant may download for their dossier as it stands."""
    forms = [f for f in selectors.printable_forms(dossier) if f.number in APPLICANT_FORMS]
    return {"dossier": dossier, "forms": forms}
