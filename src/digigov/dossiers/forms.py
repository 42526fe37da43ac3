"""Forms of the public portal. They parse and label input; the rules live in ``services``."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from digigov.accounts.forms import PortalForm
from digigov.catalog.models import FormField, ImplementingLevel, Sector
from digigov.catalog.selectors import agencies_offering_procedures
from digigov.orgs.models import Agency

from .models import Rating

ACCEPTED_EXTENSIONS = ".pdf,.jpg,.jpeg,.png,.tif,.tiff,.doc,.docx,.xls,.xlsx,.odt,.ods"


def component_field_name(component_id: int | str) -> str:
    return f"component_{component_id}"


class SearchForm(PortalForm):
    q = forms.CharField(label=_("Từ khóa"), required=False, max_length=200,
                        widget=forms.TextInput(attrs={"type": "search"}),
                        help_text=_("Tên hoặc mã thủ tục; gõ có dấu hay không dấu đều được."))
    sector = forms.ChoiceField(label=_("Lĩnh vực"), required=False)
    level = forms.ChoiceField(label=_("Cấp thực hiện"), required=False,
                              choices=[("", _("Tất cả"))] + list(ImplementingLevel.choices))
    agency = forms.ChoiceField(label=_("Cơ quan thực hiện"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["sector"].choices = [("", _("Tất cả"))] + [
            (s.code, s.name) for s in Sector.objects.order_by("name")
        ]
        self.fields["agency"].choices = [("", _("Tất cả"))] + [
            (a.code, a.name) for a in agencies_offering_procedures()
        ]


# Presence is checked here so that every missing item is reported in one pass; the
# service re-checks everything and has the final word (formats, file contents).
def _form_field(spec: FormField) -> forms.Field:
    """A Django field for one e-form field, with the service's wording for a missing value."""
    common = {
        "label": spec.label, "required": spec.required, "help_text": spec.help_text,
        "error_messages": {"required": _("“%(label)s” là bắt buộc.") % {"label": spec.label}},
    }
    if spec.type == FormField.Type.TEXTAREA:
        return forms.CharField(widget=forms.Textarea(attrs={"rows": 4}), **common)
    if spec.type == FormField.Type.DATE:
        return forms.CharField(widget=forms.DateInput(attrs={"type": "date"}), **common)
    if spec.type == FormField.Type.NUMBER:
        return forms.CharField(widget=forms.TextInput(attrs={"inputmode": "decimal"}), **common)
    if spec.type == FormField.Type.CHOICE:
        choices = [("", _("— Chọn —"))] + [(c, c) for c in spec.choices]
        return forms.ChoiceField(choices=choices, **common)
    return forms.CharField(**common)


def uploads_by_component(form) -> dict:
    """The chosen files keyed by component id, as the dossier services take them."""
    files = {}
    for component in form.components:
        upload = form.cleaned_data.get(component_field_name(component.pk))
        if upload:
            files[str(component.pk)] = upload
    return files


def _component_field(component, *, required: bool) -> forms.FileField:
    return forms.FileField(
        label=component.name, required=required, help_text=component.copies,
        widget=forms.ClearableFileInput(attrs={"accept": ACCEPTED_EXTENSIONS}),
        error_messages={
            "required": _("Thiếu thành phần bắt buộc: %(name)s.") % {"name": component.name},
        },
    )


class SubmitForm(PortalForm):
    """Agency (when several are competent), the e-form, one file per component."""

    def __init__(self, *args, version, agencies, **kwargs):
        super().__init__(*args, **kwargs)
        self.version = version
        self.components = list(version.components.all())
        self.form_specs = list(version.form_fields.all())
        if len(agencies) > 1:
            self.fields["agency"] = forms.ModelChoiceField(
                label=_("Cơ quan tiếp nhận hồ sơ"),
                error_messages={"required": _("Hãy chọn cơ quan tiếp nhận hồ sơ.")},
                queryset=Agency.objects.filter(pk__in=[a.pk for a in agencies]).order_by("name"),
                to_field_name="code", empty_label=_("— Chọn cơ quan —"),
            )
        for spec in self.form_specs:
            self.fields[spec.key] = _form_field(spec)
        for component in self.components:
            self.fields[component_field_name(component.pk)] = _component_field(
                component, required=component.required)

    def data_fields(self):
        return [self[spec.key] for spec in self.form_specs]

    def file_fields(self):
        return [self[component_field_name(c.pk)] for c in self.components]

    def agency_field(self):
        return self["agency"] if "agency" in self.fields else None

    def form_data(self) -> dict:
        return {spec.key: self.cleaned_data.get(spec.key) or "" for spec in self.form_specs}

    def files_by_component(self) -> dict:
        return uploads_by_component(self)


class SupplementForm(PortalForm):
    """The papers asked for: any component may be supplied again."""

    def __init__(self, *args, version, **kwargs):
        super().__init__(*args, **kwargs)
        self.components = list(version.components.all())
        for component in self.components:
            self.fields[component_field_name(component.pk)] = _component_field(
                component, required=False)

    def files_by_component(self) -> dict:
        return uploads_by_component(self)


class WithdrawForm(PortalForm):
    reason = forms.CharField(label=_("Lý do rút hồ sơ"), max_length=2000,
                             widget=forms.Textarea(attrs={"rows": 3}))


class RatingForm(PortalForm):
    """The 9 satisfaction indicators, each 2 (satisfied), 1 (neutral) or 0 (unsatisfied)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for key, label in Rating.INDICATORS:
            self.fields[key] = forms.TypedChoiceField(
                label=label, choices=Rating.SCORES, coerce=int, widget=forms.RadioSelect)
        self.fields["comment"] = forms.CharField(
            label=_("Ý kiến khác"), required=False, max_length=2000,
            widget=forms.Textarea(attrs={"rows": 3}))

    def scores(self) -> dict:
        return {key: self.cleaned_data[key] for key, _label in Rating.INDICATORS}


class LookupForm(PortalForm):
    code = forms.CharField(label=_("Mã hồ sơ"), max_length=60,
                           help_text=_("Ghi trên giấy tiếp nhận, ví dụ 000.00.12.H29-250714-0002."),
                           widget=forms.TextInput(attrs={"autocomplete": "off",
                                                         "spellcheck": "false"}))
    identifier = forms.CharField(
        label=_("Số định danh cá nhân, mã số doanh nghiệp hoặc số điện thoại của người nộp"),
        max_length=20, widget=forms.TextInput(attrs={"autocomplete": "off"}))
