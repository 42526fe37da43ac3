"""Forms of the back office: they parse and shape input; the services decide.

Rules that belong to the domain (a reason is required, a supplement only
once, a new due date after the current one) are checked by the services,
whose refusals are shown on the same form. These forms only turn text into
the types the services take.
"""

from __future__ import annotations

import datetime as dt

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from digigov.accounts.models import User, normalize_phone, validate_phone
from digigov.catalog.models import FormField, Procedure, ProcedureVersion
from digigov.orgs.models import Agency
from digigov.store.models import PaperKind

from .models import OPEN_STATUSES, Channel, Dossier, Status
from .selectors import handover_candidates, next_step

TEXTAREA = forms.Textarea(attrs={"rows": 3})


class ActionForm(forms.Form):
    """An action on one dossier; ``dossier`` lets a form offer dossier-specific choices."""

    def __init__(self, *args, dossier: Dossier, **kwargs):
        self.dossier = dossier
        super().__init__(*args, **kwargs)

    def service_kwargs(self) -> dict:
        """The cleaned data as the service function's keyword arguments."""
        return dict(self.cleaned_data)


class ConfirmForm(ActionForm):
    """An action that needs nothing but the decision (receive, return the result)."""


class IssueResultForm(ActionForm):
    number = forms.CharField(
        label=_("Số, ký hiệu của kết quả"), required=False, max_length=100,
        help_text=_("Theo sổ đăng ký; để trống nếu kết quả không đánh số."))


class DigitiseForm(ActionForm):
    """A paper component scanned or uploaded at the counter, to be signed and filed."""

    component = forms.ChoiceField(label=_("Thành phần hồ sơ"))
    file = forms.FileField(
        label=_("Bản quét hoặc tệp PDF"),
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.jpg,.jpeg,.png,.tif,.tiff"}),
        help_text=_("PDF hoặc ảnh JPEG, PNG, TIFF. Bản số hóa được ký số bằng chữ ký của "
                    "anh/chị và của cơ quan, rồi lưu vào kho dữ liệu của người nộp."))
    kind = forms.ModelChoiceField(
        label=_("Loại giấy tờ"), queryset=PaperKind.objects.all(), to_field_name="code",
        required=False, empty_label=_("— Theo thành phần hồ sơ —"),
        help_text=_("Chỉ chọn khi thành phần hồ sơ chưa khai báo loại giấy tờ."))

    def __init__(self, *args, dossier: Dossier, **kwargs):
        super().__init__(*args, dossier=dossier, **kwargs)
        self.fields["component"].choices = [("", _("— Chọn thành phần —"))] + [
            (str(c.pk), c.name) for c in dossier.procedure_version.components.all()]

    def service_kwargs(self) -> dict:
        return {"component_id": self.cleaned_data["component"],
                "upload": self.cleaned_data["file"], "kind": self.cleaned_data["kind"]}


class ReasonForm(ActionForm):
    reason = forms.CharField(label=_("Lý do"), widget=TEXTAREA, max_length=2000)


class SupplementForm(ActionForm):
    reason = forms.CharField(label=_("Lý do yêu cầu bổ sung"), widget=TEXTAREA, max_length=2000)
    components = forms.MultipleChoiceField(
        label=_("Thành phần hồ sơ cần nộp lại"), required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Thành phần lấy từ kho dữ liệu của người nộp không được yêu cầu lại."),
    )
    items = forms.CharField(
        label=_("Giấy tờ cần bổ sung"), widget=forms.Textarea(attrs={"rows": 4}), required=False,
        help_text=_("Mỗi dòng một giấy tờ. Chỉ được yêu cầu bổ sung một lần: hãy liệt kê đầy đủ."),
    )

    def __init__(self, *args, dossier: Dossier, **kwargs):
        super().__init__(*args, dossier=dossier, **kwargs)
        # Once-only: a component supplied from the applicant's data store is not offered.
        reused = set(dossier.files.filter(is_reused=True).values_list("component_id", flat=True))
        self.fields["components"].choices = [
            (str(c.pk), c.name) for c in dossier.procedure_version.components.all()
            if c.pk not in reused
        ]

    def clean_items(self) -> list[str]:
        return [line.strip() for line in self.cleaned_data["items"].splitlines() if line.strip()]


class SupplyForm(ActionForm):
    """Papers the applicant brings to the counter after a supplement request: one per component."""

    def __init__(self, *args, dossier: Dossier, **kwargs):
        super().__init__(*args, dossier=dossier, **kwargs)
        for component in dossier.procedure_version.components.all():
            self.fields[f"component_{component.pk}"] = forms.FileField(
                label=component.name, required=False)

    def service_kwargs(self) -> dict:
        # The service refuses an empty set with a clear message.
        return {"files": {name.removeprefix("component_"): upload
                          for name, upload in self.cleaned_data.items() if upload}}


class HandOverForm(ActionForm):
    to_user = forms.ModelChoiceField(
        label=_("Người nhận"), queryset=User.objects.none(), to_field_name="uuid",
        empty_label=_("— Chọn người nhận —"),
    )
    note = forms.CharField(label=_("Ghi chú"), required=False, widget=TEXTAREA, max_length=2000)

    def __init__(self, *args, dossier: Dossier, **kwargs):
        super().__init__(*args, dossier=dossier, **kwargs)
        candidates = handover_candidates(dossier)
        self.fields["to_user"].queryset = candidates
        step = next_step(dossier)
        if step is not None:
            unit = step.agency or dossier.agency
            self.fields["to_user"].help_text = (
                _("Bước tiếp theo: %(step)s — %(role)s tại %(unit)s.")
                if candidates.exists() else
                _("Chưa có cán bộ nào giữ vai trò “%(role)s” tại %(unit)s cho bước “%(step)s”: "
                  "hãy đề nghị quản trị cơ quan phân quyền.")
            ) % {"step": step.name, "role": step.get_role_display(), "unit": unit.name}


class FinancialObligationForm(ActionForm):
    amount = forms.IntegerField(label=_("Số tiền (VNĐ)"), min_value=1,
                                widget=forms.NumberInput(attrs={"inputmode": "numeric"}))
    reason = forms.CharField(label=_("Nội dung nghĩa vụ tài chính"), widget=TEXTAREA,
                             max_length=2000)


class FulfilForm(ActionForm):
    reference = forms.CharField(label=_("Số biên lai, chứng từ nộp tiền"), max_length=100)


class CompleteForm(ActionForm):
    result_summary = forms.CharField(label=_("Kết quả giải quyết"), widget=TEXTAREA,
                                     max_length=4000)


class ApologyForm(ActionForm):
    reason = forms.CharField(label=_("Lý do chậm trễ"), widget=TEXTAREA, max_length=2000)
    new_due_date = forms.DateField(label=_("Ngày hẹn trả mới"),
                                   widget=forms.DateInput(attrs={"type": "date"}))
    new_due_time = forms.TimeField(label=_("Giờ hẹn trả mới"), initial=dt.time(16, 0),
                                   widget=forms.TimeInput(attrs={"type": "time"},
                                                          format="%H:%M"))

    def service_kwargs(self) -> dict:
        # Dates typed at the counter are Vietnam time; the service takes an aware instant.
        new_due_at = timezone.make_aware(dt.datetime.combine(
            self.cleaned_data["new_due_date"], self.cleaned_data["new_due_time"]))
        return {"reason": self.cleaned_data["reason"], "new_due_at": new_due_at}


# -- filters ------------------------------------------------------------------------
def _status_choices(statuses) -> list[tuple[str, str]]:
    return [("", _("Tất cả trạng thái"))] + [(str(s.value), s.label) for s in statuses]


class QueueFilterForm(forms.Form):
    q = forms.CharField(label=_("Mã hồ sơ"), required=False, max_length=60,
                        widget=forms.TextInput(attrs={"type": "search"}))
    status = forms.TypedChoiceField(label=_("Trạng thái"), required=False, coerce=int,
                                    empty_value=None,
                                    choices=_status_choices(Status(s) for s in OPEN_STATUSES))
    procedure = forms.ModelChoiceField(label=_("Thủ tục"), required=False, to_field_name="uuid",
                                       queryset=Procedure.objects.none(),
                                       empty_label=_("Tất cả thủ tục"))
    mine = forms.BooleanField(label=_("Chỉ hồ sơ giao cho tôi"), required=False)

    def __init__(self, *args, procedures=None, **kwargs):
        super().__init__(*args, **kwargs)
        if procedures is not None:
            self.fields["procedure"].queryset = procedures


class RegisterFilterForm(forms.Form):
    agency = forms.ModelChoiceField(label=_("Đơn vị"), queryset=Agency.objects.none(),
                                    to_field_name="uuid", empty_label=None)
    date_from = forms.DateField(label=_("Từ ngày"), widget=forms.DateInput(attrs={"type": "date"}))
    date_to = forms.DateField(label=_("Đến ngày"), widget=forms.DateInput(attrs={"type": "date"}))
    status = forms.TypedChoiceField(label=_("Trạng thái"), required=False, coerce=int,
                                    empty_value=None, choices=_status_choices(Status))
    procedure = forms.ModelChoiceField(label=_("Thủ tục"), required=False, to_field_name="uuid",
                                       queryset=Procedure.objects.order_by("name"),
                                       empty_label=_("Tất cả thủ tục"))

    MAX_DAYS = 366

    def __init__(self, *args, agencies, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agency"].queryset = agencies

    def clean(self):
        data = super().clean()
        start, end = data.get("date_from"), data.get("date_to")
        if start and end:
            if end < start:
                self.add_error("date_to", _("“Đến ngày” phải sau hoặc bằng “Từ ngày”."))
            elif (end - start).days > self.MAX_DAYS:
                self.add_error("date_to", _("Mỗi lần in tối đa một năm."))
        return data


# -- counter reception ----------------------------------------------------------------
class CounterReceptionForm(forms.Form):
    """The applicant, the declaration fields of the procedure, one file per component.

    Field names: ``applicant_*`` and ``channel`` as the service reports them,
    ``field_<key>`` per declaration field, ``component_<pk>`` per component,
    so that the service's field errors land on the right input.
    """

    applicant_name = forms.CharField(label=_("Họ và tên người nộp"), max_length=150,
                                     widget=forms.TextInput(attrs={"autocomplete": "off"}))
    applicant_id_number = forms.CharField(
        label=_("Số định danh cá nhân / mã số doanh nghiệp"), max_length=14,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
        help_text=_("Công dân: 12 chữ số của căn cước. Doanh nghiệp: mã số doanh nghiệp."),
    )
    applicant_phone = forms.CharField(label=_("Điện thoại"), max_length=15, required=False,
                                      widget=forms.TextInput(attrs={"type": "tel"}))
    applicant_email = forms.EmailField(label=_("Thư điện tử"), required=False)
    applicant_address = forms.CharField(label=_("Địa chỉ"), max_length=255, required=False)
    channel = forms.TypedChoiceField(
        label=_("Kênh nộp"), coerce=int, initial=Channel.COUNTER,
        choices=[(Channel.COUNTER.value, Channel.COUNTER.label),
                 (Channel.POSTAL.value, Channel.POSTAL.label)],
    )
    receive_now = forms.TypedChoiceField(
        label=_("Kết quả kiểm tra hồ sơ"), coerce=lambda v: v == "1", initial="1",
        widget=forms.RadioSelect,
        choices=[("1", _("Hồ sơ đầy đủ: tiếp nhận và in giấy hẹn")),
                 ("0", _("Hồ sơ chưa đủ: chỉ đăng ký, sau đó yêu cầu bổ sung hoặc từ chối"))],
    )

    def clean_applicant_phone(self) -> str:
        phone = self.cleaned_data["applicant_phone"].strip()
        if phone:
            validate_phone(phone)
            phone = normalize_phone(phone)
        return phone

    def __init__(self, *args, version: ProcedureVersion, **kwargs):
        super().__init__(*args, **kwargs)
        self.version = version
        self.declaration_keys: list[str] = []
        self.component_keys: list[str] = []
        for spec in version.form_fields.all():
            name = f"field_{spec.key}"
            self.fields[name] = self._declaration_field(spec)
            self.declaration_keys.append(name)
        for component in version.components.all():
            name = f"component_{component.pk}"
            # Not required here: the service names every missing component at once.
            self.fields[name] = forms.FileField(
                label=component.name, required=False,
                help_text=(_("Bắt buộc. %(copies)s") if component.required
                           else _("Không bắt buộc. %(copies)s")) % {"copies": component.copies},
            )
            self.component_keys.append(name)

    @staticmethod
    def _declaration_field(spec: FormField) -> forms.Field:
        # Values stay text: the service validates them against the procedure's form.
        common = {"label": spec.label, "required": spec.required, "help_text": spec.help_text}
        if spec.type == FormField.Type.TEXTAREA:
            return forms.CharField(widget=TEXTAREA, **common)
        if spec.type == FormField.Type.DATE:
            return forms.CharField(widget=forms.DateInput(attrs={"type": "date"}), **common)
        if spec.type == FormField.Type.NUMBER:
            return forms.CharField(widget=forms.TextInput(attrs={"inputmode": "decimal"}),
                                   **common)
        if spec.type == FormField.Type.CHOICE and spec.choices:
            choices = [("", _("— Chọn —"))] + [(c, c) for c in spec.choices]
            return forms.ChoiceField(choices=choices, **common)
        return forms.CharField(max_length=1000, **common)

    def declaration_fields(self):
        return [self[name] for name in self.declaration_keys]

    def component_fields(self):
        return [self[name] for name in self.component_keys]

    def applicant(self) -> dict:
        d = self.cleaned_data
        return {"name": d["applicant_name"], "id_number": d["applicant_id_number"],
                "phone": d["applicant_phone"], "email": d["applicant_email"],
                "address": d["applicant_address"]}

    def form_data(self) -> dict:
        return {name.removeprefix("field_"): self.cleaned_data.get(name, "")
                for name in self.declaration_keys}

    def files_by_component(self) -> dict:
        return {name.removeprefix("component_"): self.cleaned_data[name]
                for name in self.component_keys if self.cleaned_data.get(name)}

    def add_service_errors(self, fields: dict) -> None:
        """Put a service's field errors on the matching inputs (others on the form)."""
        for key, messages in fields.items():
            name = key if key in self.fields else f"field_{key}"
            for message in messages:
                self.add_error(name if name in self.fields else None, message)
