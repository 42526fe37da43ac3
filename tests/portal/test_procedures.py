"""Procedure search (with and without diacritics, filters) and the procedure page."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse

from digigov.catalog.models import (
    ComponentSpec,
    ImplementingLevel,
    Procedure,
    ProcedureVersion,
    Sector,
    ServiceLevel,
)
from digigov.catalog.selectors import search_procedures


@pytest.fixture
def marriage(province):
    """A provincial procedure of another sector, at the province, offered only at the counter."""
    sector = Sector.objects.create(code="TP", name="Tư pháp")
    proc = Procedure.objects.create(national_code="2.000001.000.00.00.H37",
                                    name="Cấp phiếu lý lịch tư pháp", sector=sector,
                                    level=ImplementingLevel.PROVINCE)
    proc.competent_agencies.set([province])
    ProcedureVersion.objects.create(
        procedure=proc, effective_from=dt.date(2025, 7, 1), applicant_types=["citizen"],
        service_level=ServiceLevel.NONE, time_limit_amount=Decimal(10),
        time_limit_unit="calendar_days", fee_counter=200000, fee_online=100000,
        legal_basis="Luật Lý lịch tư pháp 2009", result_type="Phiếu lý lịch tư pháp",
    )
    return proc


def names(response):
    return [p.name for p in response.context["page"].object_list]


def test_search_finds_the_same_procedure_with_or_without_diacritics(client, procedure, marriage):
    for q in ("Đăng ký khai sinh", "dang ky khai sinh", "DANG KY", "khai sinh", "1.001193"):
        response = client.get(reverse("portal:search"), {"q": q})
        assert response.status_code == 200
        assert names(response) == ["Đăng ký khai sinh"], q
    assert names(client.get(reverse("portal:search"), {"q": "ket hon"})) == []


def test_search_filters_by_sector_level_and_agency(client, procedure, marriage, commune_a,
                                                   province):
    url = reverse("portal:search")
    assert names(client.get(url)) == ["Cấp phiếu lý lịch tư pháp", "Đăng ký khai sinh"]
    assert names(client.get(url, {"sector": "TP"})) == ["Cấp phiếu lý lịch tư pháp"]
    assert names(client.get(url, {"level": "commune"})) == ["Đăng ký khai sinh"]
    assert names(client.get(url, {"agency": commune_a.code})) == ["Đăng ký khai sinh"]
    assert names(client.get(url, {"agency": province.code, "q": "ly lich"})) == [
        "Cấp phiếu lý lịch tư pháp"]
    assert names(client.get(url, {"sector": "HT", "q": "ly lich"})) == []


def test_search_rejects_an_unknown_filter_value_with_a_message(client, procedure):
    response = client.get(reverse("portal:search"), {"level": "galaxy"})
    assert response.status_code == 400
    assert 'aria-invalid="true"' in response.content.decode()


def test_selector_hides_unpublished_and_not_yet_effective_procedures(procedure, marriage):
    marriage.is_published = False
    marriage.save()
    assert list(search_procedures()) == [procedure]
    assert list(search_procedures(q="khai sinh", sector=procedure.sector,
                                  agency=procedure.competent_agencies.first())) == [procedure]
    version = procedure.versions.get()
    version.effective_from = dt.date(2099, 1, 1)
    version.save()
    assert list(search_procedures()) == []


def test_procedure_page_shows_every_published_field(client, procedure, commune_a, commune_b):
    version = procedure.versions.get()
    version.method = "Nộp trực tuyến hoặc trực tiếp"
    version.save()
    response = client.get(reverse("portal:procedure", args=[procedure.national_code]))
    html = response.content.decode()
    assert response.status_code == 200
    for text in ("Đăng ký khai sinh", "1.001193.000.00.00.H37", "Hộ tịch", "Cấp xã",
                 "Công dân Việt Nam", "Dịch vụ công trực tuyến toàn trình",
                 "Nộp trực tuyến hoặc trực tiếp", "8.000 đ", "4.000 đ", "3 ngày làm việc",
                 "Luật Hộ tịch 2014", "Giấy khai sinh", "UBND xã A", "UBND xã B",
                 "Tờ khai đăng ký khai sinh", "Văn bản ủy quyền", "Không bắt buộc",
                 "Thẩm định hồ sơ", "Chuyên viên xử lý", "Phê duyệt"):
        assert text in html, text
    assert reverse("portal:submit", args=[procedure.national_code]) in html
    assert "Nộp hồ sơ trực tuyến" in html


def test_procedure_page_offers_the_blank_form_template(client, procedure):
    component = ComponentSpec.objects.get(name="Tờ khai đăng ký khai sinh")
    component.template.save("to-khai.docx", ContentFile(b"mau to khai"))
    url = reverse("portal:component_template", args=[procedure.national_code, component.pk])
    assert url in client.get(reverse("portal:procedure", args=[procedure.national_code])
                             ).content.decode()
    response = client.get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"mau to khai"
    other = ComponentSpec.objects.get(name="Giấy chứng sinh")
    assert client.get(reverse("portal:component_template",
                              args=[procedure.national_code, other.pk])).status_code == 404


def test_counter_only_procedure_has_no_online_button(client, marriage):
    html = client.get(reverse("portal:procedure", args=[marriage.national_code])).content.decode()
    assert "200.000 đ" in html and "10 ngày" in html
    assert reverse("portal:submit", args=[marriage.national_code]) not in html


def test_unpublished_procedure_page_is_not_found(client, procedure):
    procedure.is_published = False
    procedure.save()
    assert client.get(reverse("portal:procedure", args=[procedure.national_code])
                      ).status_code == 404


def test_home_lists_sectors_popular_procedures_and_look_up(client, procedure, dossier):
    html = client.get(reverse("portal:home")).content.decode()
    assert "Hộ tịch" in html
    assert "Thủ tục được sử dụng nhiều" in html and "Đăng ký khai sinh" in html
    assert reverse("portal:lookup") in html
    assert f'action="{reverse("portal:search")}"' in html
