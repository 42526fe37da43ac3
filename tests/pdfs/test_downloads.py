"""PDF downloads: permission-checked exactly like the printable HTML forms."""

from django.urls import reverse

from digigov.dossiers import services

from .conftest import MONDAY_9, one_line, pdf_text, signed_in


def office_pdf(client, user, dossier, number):
    return signed_in(client, user).get(reverse("office:print_pdf", args=[dossier.uuid, number]))


def portal_pdf(client, user, dossier, number):
    return signed_in(client, user).get(reverse("portal:form_pdf", args=[dossier.uuid, number]))


def assert_pdf_of(response, dossier, number):
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Cache-Control"] == "private, no-store"
    assert f'filename="mau-{number}-{dossier.code}.pdf"' in response["Content-Disposition"]
    assert dossier.code in one_line(pdf_text(response.content))


def test_office_detail_offers_a_pdf_beside_each_printable_form(client, counter_a, received):
    page = signed_in(client, counter_a).get(reverse("office:detail", args=[received.uuid]))
    html = page.content.decode()
    assert reverse("office:print", args=[received.uuid, "01"]) in html
    assert reverse("office:print_pdf", args=[received.uuid, "01"]) in html
    assert reverse("office:print_pdf", args=[received.uuid, "03"]) not in html


def test_officer_of_the_unit_downloads_the_pdf(client, counter_a, received):
    assert_pdf_of(office_pdf(client, counter_a, received, "01"), received, "01")


def test_officer_of_another_commune_gets_404(client, counter_b, received):
    assert office_pdf(client, counter_b, received, "01").status_code == 404


def test_a_form_that_does_not_apply_is_404(client, counter_a, received):
    assert office_pdf(client, counter_a, received, "05").status_code == 404


def test_citizens_and_anonymous_users_get_no_office_pdf(client, citizen, received):
    anonymous = client.get(reverse("office:print_pdf", args=[received.uuid, "01"]))
    assert anonymous.status_code == 302 and "login" in anonymous["Location"]
    assert office_pdf(client, citizen, received, "01").status_code == 403


def test_register_pdf_lists_the_units_dossiers(client, counter_a, counter_b, received,
                                                dossier_b):
    response = signed_in(client, counter_a).get(
        reverse("office:register_pdf"), {"date_from": "2026-03-01", "date_to": "2026-03-31"})
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    text = one_line(pdf_text(response.content))
    assert received.code in text and dossier_b.code not in text


def test_register_pdf_refuses_a_bad_range(client, counter_a, received):
    response = signed_in(client, counter_a).get(
        reverse("office:register_pdf"), {"date_from": "2026-03-31", "date_to": "2026-03-01"})
    assert response.status_code == 400
    assert "Đến ngày" in response.content.decode()


def test_applicant_downloads_their_forms_from_the_portal(client, citizen, received):
    page = signed_in(client, citizen).get(reverse("portal:dossier", args=[received.uuid]))
    assert reverse("portal:form_pdf", args=[received.uuid, "01"]) in page.content.decode()
    assert_pdf_of(portal_pdf(client, citizen, received, "01"), received, "01")


def test_applicant_gets_the_refusal_slip(client, citizen, counter_a, new_dossier):
    refused = services.refuse(officer=counter_a, dossier=new_dossier, reason="Sai thẩm quyền",
                              now=MONDAY_9)
    response = portal_pdf(client, citizen, refused, "03")
    assert_pdf_of(response, refused, "03")
    assert "Sai thẩm quyền" in one_line(pdf_text(response.content))


def test_another_citizen_gets_404(client, other_citizen, received):
    assert portal_pdf(client, other_citizen, received, "01").status_code == 404


def test_the_control_sheet_is_not_offered_to_applicants(client, citizen, processed):
    page = signed_in(client, citizen).get(reverse("portal:dossier", args=[processed.uuid]))
    assert reverse("office:print_pdf", args=[processed.uuid, "06"]) not in page.content.decode()
    url = f"/ho-so/{processed.uuid}/mau-06.pdf"
    assert client.get(url).status_code == 404
