from django import forms
from django.utils.translation import gettext_lazy as _


class PeerForm(forms.Form):
    name = forms.CharField(label=_("Tên hệ thống"), max_length=200)
    endpoint_url = forms.CharField(
        label=_("Địa chỉ nhận gói tin"), max_length=500,
        help_text=_("Ví dụ: https://vanban.tinh-b.gov.vn/lien-thong/edxml/"))
    organ_codes = forms.CharField(
        label=_("Mã định danh các cơ quan của hệ thống"), widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Mỗi mã một dòng, hoặc cách nhau bởi dấu phẩy."))
    certificate_pem = forms.CharField(
        label=_("Chứng thư ký số (PEM)"), widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("Chứng thư ký gói tin của hệ thống đó, hoặc chứng thư CA cấp chứng thư "
                    "cho các cơ quan của nó."))

    def codes(self) -> list[str]:
        raw = self.cleaned_data["organ_codes"].replace(",", "\n")
        return [line.strip() for line in raw.splitlines() if line.strip()]
