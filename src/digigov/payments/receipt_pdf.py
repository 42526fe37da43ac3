"""The receipt as a PDF, laid out like every administrative document (digigov.pdfs).

A receipt is an official record: always in Vietnamese, whatever the reader's
page language, like the one-stop forms.
"""

from __future__ import annotations

from django.template.loader import render_to_string

from digigov.pdfs import layout
from digigov.pdfs.context import date_line, moment_text, place_of, vnd

from .models import Payment, PaymentChannel

CHANNEL_TEXT = {
    PaymentChannel.ONLINE: "Thanh toán trực tuyến",
    PaymentChannel.CASH: "Tiền mặt",
    PaymentChannel.TRANSFER: "Chuyển khoản",
}


def render_receipt(payment: Payment) -> bytes:
    """The PDF of a paid payment's receipt."""
    if payment.receipt_sequence is None:
        raise ValueError("Only a paid payment has a receipt.")
    dossier, agency = payment.dossier, payment.receipt_agency
    body = render_to_string("payments/receipt_pdf_body.html", {
        "payment": payment, "dossier": dossier, "agency": agency,
        "amount": vnd(payment.amount), "channel": CHANNEL_TEXT[payment.channel],
        "paid_at": moment_text(payment.paid_at),
    })
    at_counter = payment.channel != PaymentChannel.ONLINE
    # Online, the gateway's confirmation is the proof; at the counter, both sign.
    signer = layout.Signer(title="NGƯỜI THU TIỀN", hint="(Ký, ghi rõ họ tên)",
                           name=payment.created_by.full_name if payment.created_by else "")
    payer = layout.Signer(title="NGƯỜI NỘP TIỀN", hint="(Ký, ghi rõ họ tên)",
                          name=dossier.applicant_name)
    page = layout.Page(
        agency=agency.name, parent_agency=agency.parent.name if agency.parent_id else "",
        number_line=f"Số: {payment.receipt_number}",
        date_line=date_line(place_of(agency), payment.paid_at),
        title="BIÊN LAI THU PHÍ, LỆ PHÍ", body_html=body,
        signer=signer if at_counter else None, co_signer=payer if at_counter else None,
        document_title=f"Biên lai {payment.receipt_number}",
    )
    return layout.render(page).pdf
