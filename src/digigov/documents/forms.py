"""Forms of the document pages: they parse input; the services decide."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from digigov.accounts.models import User
from digigov.orgs.models import Agency

from .kinds import Authority, Secrecy, Urgency, type_choices
from .models import Assignment, ProcessingNote


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, (list, tuple)):
            return [single(item, initial) for item in data if item]
        return [single(data, initial)] if data else []


def _agencies(user):
    return Agency.objects.filter(pk__in=user.role_agency_ids()).order_by("code")


def colleagues(agency: Agency):
    return (User.objects.filter(role_assignments__agency_id__in=agency.descendant_ids())
            .distinct().order_by("full_name"))


def parse_external(text: str) -> list[dict]:
    """One organ code per line, optionally "code | name"."""
    out = []
    for line in (text or "").splitlines():
        if not line.strip():
            continue
        code, _sep, name = line.partition("|")
        out.append({"kind": "external", "organ_code": code.strip(), "name": name.strip()})
    return out


class DraftForm(forms.Form):
    agency = forms.ModelChoiceField(label=_("Cơ quan ban hành"), queryset=Agency.objects.none())
    type_code = forms.ChoiceField(label=_("Loại văn bản"), choices=type_choices())
    subject = forms.CharField(label=_("Trích yếu"), max_length=500)
    body = forms.CharField(label=_("Nội dung"), widget=forms.Textarea(attrs={"rows": 10}),
                           required=False)
    body_file = forms.FileField(label=_("Hoặc tệp nội dung (PDF, .txt)"), required=False)
    urgency = forms.ChoiceField(label=_("Độ khẩn"), choices=Urgency.choices, required=False)
    secrecy = forms.ChoiceField(label=_("Độ mật"), choices=Secrecy.choices, required=False)
    drafting_unit = forms.CharField(label=_("Đơn vị soạn thảo (viết tắt, ví dụ VP)"),
                                    max_length=30, required=False)
    units = forms.ModelMultipleChoiceField(label=_("Đơn vị nhận trong cơ quan"),
                                           queryset=Agency.objects.none(), required=False)
    people = forms.ModelMultipleChoiceField(label=_("Cá nhân nhận trong cơ quan"),
                                            queryset=User.objects.none(), required=False)
    external = forms.CharField(
        label=_("Cơ quan nhận bên ngoài (mỗi dòng một mã định danh, có thể thêm | tên)"),
        widget=forms.Textarea(attrs={"rows": 3}), required=False)
    recipients_text = forms.CharField(label=_("Nơi nhận khác (ghi trên văn bản)"),
                                      widget=forms.Textarea(attrs={"rows": 2}), required=False)
    copies = forms.IntegerField(label=_("Số lượng bản"), min_value=1, max_value=1000, initial=1)
    due_on = forms.DateField(label=_("Hạn trả lời"), required=False,
                             widget=forms.DateInput(attrs={"type": "date"}))
    attachments = MultipleFileField(label=_("Tệp đính kèm (PDF)"), required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        agencies = _agencies(user)
        self.fields["agency"].queryset = agencies
        first = agencies.first()
        if agencies.count() == 1:
            self.fields["agency"].initial = first
        scope = set()
        for agency in agencies:
            scope |= agency.descendant_ids()
        self.fields["units"].queryset = Agency.objects.filter(pk__in=scope)
        self.fields["people"].queryset = (User.objects.filter(
            role_assignments__agency_id__in=scope).distinct().order_by("full_name"))

    def recipients(self) -> list[dict]:
        data = self.cleaned_data
        out = [{"kind": "unit", "unit": u} for u in data.get("units") or []]
        out += [{"kind": "person", "person": p} for p in data.get("people") or []]
        return out + parse_external(data.get("external", ""))

    def attachment_tuples(self) -> list[tuple[str, str, bytes]]:
        return [(f.name, f.content_type or "application/pdf", f.read())
                for f in self.cleaned_data.get("attachments") or []]


class SubmitForm(forms.Form):
    reviewers = forms.ModelMultipleChoiceField(label=_("Người xem xét (theo thứ tự chọn)"),
                                               queryset=User.objects.none(), required=False)
    approver = forms.ModelChoiceField(label=_("Lãnh đạo duyệt, ký"), queryset=User.objects.none())

    def __init__(self, *args, agency: Agency, **kwargs):
        super().__init__(*args, **kwargs)
        people = colleagues(agency)
        self.fields["reviewers"].queryset = people
        self.fields["approver"].queryset = people.filter(role_assignments__agency=agency,
                                                         role_assignments__role="leader")


class ReviewForm(forms.Form):
    decision = forms.ChoiceField(label=_("Ý kiến"), choices=[
        ("accept", _("Đồng ý")), ("return", _("Trả lại để sửa"))], widget=forms.RadioSelect)
    comment = forms.CharField(label=_("Nhận xét"), widget=forms.Textarea(attrs={"rows": 3}),
                              required=False)


class SignForm(forms.Form):
    authority = forms.ChoiceField(label=_("Quyền hạn ký"), choices=Authority.choices,
                                  required=False)
    authority_of = forms.CharField(label=_("Thay mặt, ký thay cho"), max_length=200,
                                   required=False)
    signer_title = forms.CharField(label=_("Chức vụ người ký"), max_length=200)


class IssueForm(forms.Form):
    keeping_unit = forms.CharField(label=_("Đơn vị, người nhận bản lưu"), max_length=200,
                                   required=False)
    note = forms.CharField(label=_("Ghi chú"), max_length=300, required=False)


class PaperForm(forms.Form):
    recipient = forms.ModelChoiceField(label=_("Cơ quan nhận"), queryset=Agency.objects.none())
    sender_name = forms.CharField(label=_("Cơ quan ban hành (tác giả)"), max_length=255)
    sender_code = forms.CharField(label=_("Mã định danh cơ quan ban hành"), max_length=35,
                                  required=False)
    number = forms.CharField(label=_("Số"), max_length=20)
    notation = forms.CharField(label=_("Ký hiệu"), max_length=60, required=False)
    issued_on = forms.DateField(label=_("Ngày văn bản"),
                                widget=forms.DateInput(attrs={"type": "date"}))
    type_code = forms.ChoiceField(label=_("Loại văn bản"), choices=type_choices())
    subject = forms.CharField(label=_("Trích yếu"), max_length=500)
    signer_name = forms.CharField(label=_("Người ký"), max_length=200, required=False)
    due_on = forms.DateField(label=_("Hạn trả lời"), required=False,
                             widget=forms.DateInput(attrs={"type": "date"}))
    urgency = forms.ChoiceField(label=_("Độ khẩn"), choices=Urgency.choices, required=False)
    secrecy = forms.ChoiceField(label=_("Độ mật"), choices=Secrecy.choices, required=False)
    scan = forms.FileField(label=_("Bản quét (PDF, JPEG, PNG)"))

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        agencies = Agency.objects.filter(pk__in=user.role_agency_ids("clerk"))
        self.fields["recipient"].queryset = agencies
        if agencies.count() == 1:
            self.fields["recipient"].initial = agencies.first()


class AssignForm(forms.Form):
    main_unit = forms.ModelChoiceField(label=_("Đơn vị chủ trì"), queryset=Agency.objects.none(),
                                       required=False)
    main_person = forms.ModelChoiceField(label=_("Người chủ trì"), queryset=User.objects.none(),
                                         required=False)
    support = forms.ModelMultipleChoiceField(label=_("Người phối hợp"),
                                             queryset=User.objects.none(), required=False)
    working_days = forms.IntegerField(label=_("Hạn xử lý (số ngày làm việc)"), min_value=1,
                                      max_value=365, required=False)
    deadline = forms.DateField(label=_("Hoặc hạn xử lý (ngày)"), required=False,
                               widget=forms.DateInput(attrs={"type": "date"}))
    directions = forms.CharField(label=_("Ý kiến chỉ đạo"), required=False,
                                 widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, agency: Agency, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["main_unit"].queryset = Agency.objects.filter(pk__in=agency.descendant_ids())
        self.fields["main_person"].queryset = colleagues(agency)
        self.fields["support"].queryset = colleagues(agency)

    def targets(self) -> list[dict]:
        data = self.cleaned_data
        out = []
        if data.get("main_unit"):
            out.append({"unit": data["main_unit"], "role": Assignment.Role.MAIN})
        if data.get("main_person"):
            out.append({"person": data["main_person"], "role": Assignment.Role.MAIN})
        out += [{"person": p, "role": Assignment.Role.SUPPORT} for p in data.get("support") or []]
        return out


class NoteForm(forms.Form):
    kind = forms.ChoiceField(label=_("Loại"), choices=[
        c for c in ProcessingNote.Kind.choices if c[0] != ProcessingNote.Kind.COMPLETION])
    text = forms.CharField(label=_("Nội dung"), widget=forms.Textarea(attrs={"rows": 3}))


class CompleteForm(forms.Form):
    result = forms.CharField(label=_("Kết quả xử lý"), widget=forms.Textarea(attrs={"rows": 3}))


class SearchForm(forms.Form):
    q = forms.CharField(label=_("Từ khóa"), required=False)
    direction = forms.ChoiceField(label=_("Chiều"), required=False, choices=[
        ("", _("Đi và đến")), ("out", _("Văn bản đi")), ("in", _("Văn bản đến"))])
    type_code = forms.ChoiceField(label=_("Loại văn bản"), required=False,
                                  choices=[("", _("Mọi loại"))] + type_choices())
    issuer = forms.CharField(label=_("Cơ quan ban hành"), required=False)
    status = forms.CharField(label=_("Trạng thái"), required=False)
    date_from = forms.DateField(label=_("Từ ngày"), required=False,
                                widget=forms.DateInput(attrs={"type": "date"}))
    date_to = forms.DateField(label=_("Đến ngày"), required=False,
                              widget=forms.DateInput(attrs={"type": "date"}))


class IssuerProfileForm(forms.Form):
    abbreviation = forms.CharField(label=_("Chữ viết tắt tên cơ quan"), max_length=30,
                                   help_text=_("Như “UBND” trong 05/QĐ-UBND."))
    place = forms.CharField(label=_("Địa danh ghi trên văn bản"), max_length=100,
                            required=False)


class _OfficialChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.full_name} ({obj.login})" if obj.full_name else obj.login


class ClearanceForm(forms.Form):
    user = _OfficialChoiceField(label=_("Cán bộ"), queryset=User.objects.none())
    level = forms.ChoiceField(label=_("Độ mật được tiếp cận"),
                              choices=[("", _("Không (thu hồi)")),
                                       *[c for c in Secrecy.choices if c[0]]],
                              required=False)

    def __init__(self, *args, officials=None, **kwargs):
        super().__init__(*args, **kwargs)
        if officials is not None:
            self.fields["user"].queryset = officials
