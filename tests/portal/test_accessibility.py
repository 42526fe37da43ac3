"""Every visible form control on the main pages has a <label>; errors are announced."""

from html.parser import HTMLParser

import pytest
from django.urls import reverse

from digigov.dossiers import services
from tests.conftest import vn

UNLABELLED_TYPES = {"hidden", "submit", "button", "reset", "image"}


class ControlCollector(HTMLParser):
    def __init__(self):
        super().__init__()
        self.controls, self.label_for, self.ids = [], set(), set()
        self._label_depth = 0

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if "id" in attrs:
            self.ids.add(attrs["id"])
        if tag == "label":
            self._label_depth += 1
            if attrs.get("for"):
                self.label_for.add(attrs["for"])
        if tag in ("input", "select", "textarea"):
            if tag == "input" and attrs.get("type", "text") in UNLABELLED_TYPES:
                return
            self.controls.append({**attrs, "_tag": tag, "_wrapped": self._label_depth > 0})

    def handle_endtag(self, tag):
        if tag == "label":
            self._label_depth -= 1


def collect(html):
    parser = ControlCollector()
    parser.feed(html)
    return parser


def assert_labelled(html):
    page = collect(html)
    assert page.controls, "expected a form on this page"
    for control in page.controls:
        labelled = control.get("id") in page.label_for or control["_wrapped"]
        assert labelled, f"no <label> for {control}"
        for ref in (control.get("aria-describedby") or "").split():
            assert ref in page.ids, f"aria-describedby points nowhere: {ref}"
    return page


@pytest.fixture
def supplement_requested(received, counter_a):
    return services.request_supplement(official=counter_a, dossier=received,
                                       reason="Thiếu giấy", items=["Giấy chứng sinh"],
                                       now=vn(2026, 3, 2, 11, 0))


def test_public_pages_label_every_input(client, procedure):
    for url in (reverse("portal:home"), reverse("portal:search"),
                reverse("portal:procedure", args=[procedure.national_code]),
                reverse("portal:lookup"), reverse("accounts:login"),
                reverse("accounts:register")):
        response = client.get(url)
        assert response.status_code == 200, url
        assert_labelled(response.content.decode())


def test_signed_in_pages_label_every_input(client, procedure, citizen, supplement_requested):
    client.force_login(citizen)
    for url in (reverse("portal:submit", args=[procedure.national_code]),
                reverse("accounts:profile"),
                reverse("portal:my_dossiers"),
                reverse("portal:dossier", args=[supplement_requested.uuid])):
        response = client.get(url)
        assert response.status_code == 200, url
        assert_labelled(response.content.decode())


def test_rating_form_groups_each_indicator_in_a_fieldset(client, received, counter_a,
                                                         specialist_a, leader_a):
    d = services.hand_over(official=counter_a, dossier=received, to_user=specialist_a,
                           now=vn(2026, 3, 2, 11, 0))
    d = services.hand_over(official=specialist_a, dossier=d, to_user=leader_a,
                           now=vn(2026, 3, 3, 11, 0))
    services.complete(official=leader_a, dossier=d, result_summary="Xong",
                      now=vn(2026, 3, 4, 9, 0))
    client.force_login(received.applicant)
    html = client.get(reverse("portal:dossier", args=[received.uuid])).content.decode()
    assert_labelled(html)
    assert html.count("<legend") >= 9
    assert "Thái độ của cán bộ, công chức" in html


def test_invalid_form_announces_errors_and_ties_them_to_fields(client, db):
    response = client.post(reverse("accounts:register"), {"full_name": ""})
    html = response.content.decode()
    page = assert_labelled(html)
    assert 'role="alert"' in html
    invalid = [c for c in page.controls if c.get("aria-invalid") == "true"]
    assert invalid
    for control in invalid:
        if control.get("type") == "radio":
            continue  # a radio group is described on its fieldset
        assert f"{control['id']}_error" in control.get("aria-describedby", ""), control


def test_language_switcher_is_a_labelled_form_posting_to_set_language(client, db):
    html = client.get(reverse("portal:home")).content.decode()
    assert f'action="{reverse("set_language")}"' in html
    assert '<label for="lang-select">' in html
    for code in ("vi", "en", "id"):
        assert f'value="{code}"' in html
