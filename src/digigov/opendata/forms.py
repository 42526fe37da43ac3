"""Forms of the open-data pages: they parse input; ``services`` decides."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from digigov.accounts.forms import PortalForm

from .licences import DEFAULT_LICENCE, licence_choices
from .models import Dataset, Group

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class SearchForm(PortalForm):
    q = forms.CharField(label=_("Từ khóa"), max_length=200, required=False,
                        help_text=_("Có dấu hoặc không dấu."))
    publisher = forms.ChoiceField(label=_("Cơ quan công bố"), required=False)
    group = forms.ChoiceField(label=_("Chủ đề"), required=False)
    tag = forms.CharField(label=_("Từ khóa gắn"), max_length=100, required=False)
    format = forms.ChoiceField(label=_("Định dạng"), required=False)

    def __init__(self, *args, publishers=(), groups=(), formats=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["publisher"].choices = [("", _("— Tất cả —")), *publishers]
        self.fields["group"].choices = [("", _("— Tất cả —")), *groups]
        self.fields["format"].choices = [("", _("— Tất cả —")), *((f, f) for f in formats)]


class DatasetForm(PortalForm):
    publisher = forms.ModelChoiceField(label=_("Cơ quan công bố"), queryset=None,
                                       empty_label=None)
    title = forms.CharField(label=_("Tên bộ dữ liệu"), max_length=300)
    name = forms.SlugField(label=_("Tên định danh"), max_length=100, help_text=_(
        "Chữ thường không dấu, số và dấu gạch ngang, ví dụ: ho-so-tiep-nhan-2026."))
    notes = forms.CharField(label=_("Mô tả"), required=False,
                            widget=forms.Textarea(attrs={"rows": 5}))
    licence_id = forms.ChoiceField(label=_("Giấy phép"), choices=licence_choices(),
                                   initial=DEFAULT_LICENCE)
    tags = forms.CharField(label=_("Từ khóa"), required=False, max_length=2000,
                           help_text=_("Phân cách bằng dấu phẩy."))
    groups = forms.ModelMultipleChoiceField(label=_("Chủ đề"), queryset=Group.objects.all(),
                                            to_field_name="name", required=False,
                                            widget=forms.CheckboxSelectMultiple)
    frequency = forms.ChoiceField(label=_("Tần suất cập nhật"),
                                  choices=Dataset.Frequency.choices,
                                  initial=Dataset.Frequency.IRREGULAR)
    temporal_start = forms.DateField(label=_("Dữ liệu từ ngày"), required=False, widget=DATE)
    temporal_end = forms.DateField(label=_("Dữ liệu đến ngày"), required=False, widget=DATE)
    spatial = forms.CharField(label=_("Phạm vi địa lý"), max_length=300, required=False,
                              help_text=_("Ví dụ: Tỉnh Lạng Sơn."))
    contact_name = forms.CharField(label=_("Đầu mối liên hệ"), max_length=200, required=False)
    contact_email = forms.EmailField(label=_("Thư điện tử liên hệ"), required=False)

    def __init__(self, *args, agencies=None, editing: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if editing:
            del self.fields["publisher"]
        else:
            self.fields["publisher"].queryset = agencies


class ResourceForm(PortalForm):
    file = forms.FileField(label=_("Tệp dữ liệu"), required=False, help_text=_(
        "CSV (UTF-8), JSON hoặc XLSX; định dạng được kiểm tra theo nội dung tệp."),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.json,.xlsx"}))
    url = forms.CharField(label=_("Hoặc địa chỉ API"), required=False, max_length=500,
                          help_text=_("Liên kết đến API trực tuyến (http:// hoặc https://)."),
                          widget=forms.URLInput())
    name = forms.CharField(label=_("Tên tài nguyên"), max_length=300, required=False,
                           help_text=_("Bỏ trống để dùng tên tệp."))
    description = forms.CharField(label=_("Mô tả"), required=False,
                                  widget=forms.Textarea(attrs={"rows": 3}))
