"""Forms of the data-store pages: they parse input; ``services`` decides."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from digigov.accounts.forms import PortalForm

from .models import PaperKind
from .services import DEFAULT_SHARE_DAYS, MAX_SHARE_DAYS

ACCEPTED_EXTENSIONS = ".pdf,.jpg,.jpeg,.png,.tif,.tiff,.doc,.docx,.xls,.xlsx,.odt,.ods"


class UploadForm(PortalForm):
    kind = forms.ModelChoiceField(label=_("Loại giấy tờ"), queryset=PaperKind.objects.all(),
                                  to_field_name="code", empty_label=_("— Chọn loại giấy tờ —"))
    title = forms.CharField(label=_("Tên giấy tờ"), max_length=300, required=False,
                            help_text=_("Bỏ trống để dùng tên loại giấy tờ."))
    number = forms.CharField(label=_("Số giấy tờ"), max_length=100, required=False)
    issuer_name = forms.CharField(label=_("Cơ quan cấp"), max_length=300, required=False)
    issued_on = forms.DateField(label=_("Ngày cấp"), required=False,
                                widget=forms.DateInput(attrs={"type": "date"}))
    valid_until = forms.DateField(label=_("Có giá trị đến"), required=False,
                                  help_text=_("Bỏ trống nếu giấy tờ không có thời hạn."),
                                  widget=forms.DateInput(attrs={"type": "date"}))
    file = forms.FileField(label=_("Tệp giấy tờ"),
                           help_text=_("PDF, ảnh (JPEG, PNG, TIFF) hoặc văn bản văn phòng."),
                           widget=forms.ClearableFileInput(attrs={"accept": ACCEPTED_EXTENSIONS}))


class ShareForm(PortalForm):
    days = forms.IntegerField(
        label=_("Thời hạn chia sẻ (ngày)"), min_value=1, max_value=MAX_SHARE_DAYS,
        initial=DEFAULT_SHARE_DAYS,
        help_text=_("Người nhận đường dẫn xem và tải được giấy tờ, không cần đăng nhập, "
                    "cho đến khi hết hạn."))
