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


def reuse_field_name(component_id: int | str) -> str:
    return f"reuse_{component_id}"


def _paper_label(paper) -> str:
    parts = [paper.title]
    if paper.number:
        parts.append(_("số %(number)s") % {"number": paper.number})
    if paper.issuer_name:
        parts.append(paper.issuer_name)
    if paper.issued_on:
        parts.append(_("cấp ngày %(day)s") % {"day": paper.issued_on.strftime("%d/%m/%Y")})
    if paper.valid_until:
        parts.append(_("còn hiệu lực đến %(day)s")
                     % {"day": paper.valid_until.strftime("%d/%m/%Y")})
    return " · ".join(str(p) for p in parts)


def _reuse_field(component, papers) -> forms.ChoiceField:
    """One click per component: a stored paper of the right kind, or an upload."""
    return forms.ChoiceField(
        label=_("Dùng giấy tờ trong kho cho “%(name)s”") % {"name": component.name},
        required=False, widget=forms.RadioSelect, initial="",
        choices=[("", _("Không, tôi tải tệp lên"))]
        + [(str(p.uuid), _paper_label(p)) for p in papers],
        error_messages={"invalid_choice": _(
            "Giấy tờ đã chọn không có trong kho dữ liệu của bạn hoặc đã hết hiệu lực.")},
    )


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

    def __init__(self, *args, version, agencies, reusable=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.version = version
        self.components = list(version.components.all())
        # {component pk: the applicant's valid stored papers of the kind it accepts}
        self.reusable = {pk: list(papers) for pk, papers in (reusable or {}).items() if papers}
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
            papers = self.reusable.get(component.pk)
            # With a stored paper on offer, either choice supplies the component: clean() checks.
            self.fields[component_field_name(component.pk)] = _component_field(
                component, required=component.required and not papers)
            if papers:
                self.fields[reuse_field_name(component.pk)] = _reuse_field(component, papers)

    def clean(self):
        cleaned = super().clean()
        for component in self.components:
            if component.pk not in self.reusable:
                continue
            upload = cleaned.get(component_field_name(component.pk))
            chosen = cleaned.get(reuse_field_name(component.pk))
            if upload and chosen:
                self.add_error(component_field_name(component.pk), _(
                    "Chọn một trong hai: dùng giấy tờ trong kho hoặc tải tệp lên."))
            elif component.required and not upload and not chosen \
                    and reuse_field_name(component.pk) not in self.errors:
                self.add_error(component_field_name(component.pk), _(
                    "Thiếu thành phần bắt buộc: %(name)s.") % {"name": component.name})
        return cleaned

    def component_rows(self):
        """Each component's upload field, with its stored-paper choice when there is one."""
        return [
            {"file": self[component_field_name(c.pk)],
             "reuse": self[reuse_field_name(c.pk)] if c.pk in self.reusable else None}
            for c in self.components
        ]

    def reuse_by_component(self) -> dict:
        """``{component id: stored paper}`` for the components the applicant chose to reuse."""
        chosen = {}
        for component in self.components:
            value = self.cleaned_data.get(reuse_field_name(component.pk))
            if value:
                paper = next(p for p in self.reusable[component.pk] if str(p.uuid) == value)
                chosen[str(component.pk)] = paper
        return chosen

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
