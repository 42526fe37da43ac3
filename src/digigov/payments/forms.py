from django import forms
from django.utils.translation import gettext_lazy as _

from .models import PaymentChannel

TARGETS = (("fee", _("Phí, lệ phí")), ("obligation", _("Nghĩa vụ tài chính")))


class PayForm(forms.Form):
    target = forms.ChoiceField(label=_("Khoản nộp"), choices=TARGETS)


class CounterPaymentForm(forms.Form):
    prefix = "payment"  # the office dossier page holds other forms with the same field names

    target = forms.ChoiceField(label=_("Khoản nộp"), choices=TARGETS)
    channel = forms.ChoiceField(
        label=_("Hình thức"),
        choices=[(PaymentChannel.CASH.value, PaymentChannel.CASH.label),
                 (PaymentChannel.TRANSFER.value, PaymentChannel.TRANSFER.label)])
    amount = forms.IntegerField(label=_("Số tiền (VNĐ)"), min_value=1, max_value=10**15)
    reference = forms.CharField(label=_("Mã giao dịch chuyển khoản"), required=False,
                                max_length=100)
