"""Pages, the back office and API errors in the language the person chose."""

import html
from html.parser import HTMLParser

import pytest
from django.urls import reverse

from digigov.accounts.models import ApiToken
from digigov.dossiers import services
from tests.conftest import FORM, component_files, vn

from .catalogs import messages, parse_po, po_path
from .conftest import client_in

# A few strings per page, in each language; Vietnamese is what a browser gets by default.
HOME = {
    "vi": ["Dịch vụ công trực tuyến", "Tra cứu hồ sơ", "Cổng dịch vụ công digigov"],
    "en": [
        "Online public services",
        "Track a dossier",
        "digigov public service portal",
        "Skip to main content",
    ],
    "id": [
        "Layanan publik daring",
        "Lacak berkas permohonan",
        "Portal layanan publik digigov",
        "Langsung ke konten utama",
    ],
}
SEARCH = {
    "vi": ["Tìm thấy 1 thủ tục", "Xóa bộ lọc"],
    "en": ["1 procedure found", "Clear filters", "Administrative procedures"],
    "id": ["Ditemukan 1 prosedur", "Hapus filter", "Prosedur administrasi"],
}
LOGIN = {
    "vi": ["Chưa có tài khoản?", "Mật khẩu"],
    "en": ["No account yet?", "Password", "E-mail or phone number"],
    "id": ["Belum punya akun?", "Kata sandi", "Email atau nomor telepon"],
}
REGISTER = {
    "vi": ["Đăng ký tài khoản", "Nhập lại mật khẩu"],
    "en": [
        "Create an account",
        "Repeat the password",
        "Fields marked * are required.",
        "Personal identification number",
    ],
    "id": [
        "Daftar akun",
        "Ulangi kata sandi",
        "Kolom bertanda * wajib diisi.",
        "Nomor identitas pribadi",
    ],
}
QUEUE = {
    "vi": ["Hồ sơ cần xử lý", "1 hồ sơ", "Mới đăng ký"],
    "en": [
        "Dossiers to process",
        "1 dossier",
        "Newly registered",
        "Counter reception",
        "Filter by status",
    ],
    "id": [
        "Berkas yang perlu diproses",
        "1 berkas",
        "Baru didaftarkan",
        "Penerimaan di loket",
        "Saring berdasarkan status",
    ],
}
# Values the fixtures store in Vietnamese, which pages show as data, not as interface text.
FIXTURE_DATA = {"Tiếp nhận hồ sơ", "Ngày sinh", "Đăng ký khai sinh", "Hộ tịch"}


class _Texts(HTMLParser):
    """The text nodes and the labelling attributes of a page, stripped."""

    LABELS = ("aria-label", "title", "placeholder", "alt", "value")

    def __init__(self):
        super().__init__()
        self.texts: set[str] = set()

    def handle_starttag(self, tag, attrs):
        self.texts.update(value.strip() for name, value in attrs if name in self.LABELS and value)

    def handle_data(self, data):
        self.texts.update(part.strip().rstrip(":").strip() for part in data.split("·"))


def untranslated(page: str) -> list[str]:
    """Vietnamese interface strings in a page: whole texts, or long ones anywhere."""
    parser = _Texts()
    parser.feed(page)
    found = []
    for e in messages(parse_po(po_path("en"))):
        if "%" in e.msgid or e.msgid in FIXTURE_DATA:
            continue
        if e.msgid in parser.texts or len(e.msgid) >= 25 and e.msgid in page:
            found.append(e.msgid)
    return found


def assert_speaks(response, language: str, expected: list[str]) -> str:
    assert response.status_code == 200
    page = html.unescape(response.content.decode())
    assert f'<html lang="{language}">' in page
    assert response["Content-Language"] == language
    missing = [text for text in expected if text not in page]
    assert missing == []
    if language != "vi":
        assert untranslated(page) == []
    return page


def test_untranslated_text_is_detected_in_a_vietnamese_page(db):
    page = html.unescape(client_in(None).get(reverse("portal:home")).content.decode())
    assert {"Dịch vụ công trực tuyến", "Trang chủ", "Bỏ qua điều hướng"} <= set(untranslated(page))


@pytest.fixture
def submitted(procedure, citizen, commune_a):
    return services.submit_online(
        applicant=citizen,
        procedure=procedure,
        form_data=FORM,
        files=component_files(procedure),
        agency=commune_a,
        now=vn(2026, 3, 2, 9, 0),
    )


@pytest.mark.parametrize("language", ["vi", "en", "id"])
def test_home_page(language, db):
    client = client_in(None if language == "vi" else language)
    assert_speaks(client.get(reverse("portal:home")), language, HOME[language])


@pytest.mark.parametrize("language", ["vi", "en", "id"])
def test_procedure_search(language, procedure):
    response = client_in(language).get(reverse("portal:search"), {"q": "khai sinh"})
    assert_speaks(response, language, SEARCH[language])


@pytest.mark.parametrize("language", ["vi", "en", "id"])
def test_login_page(language, db):
    assert_speaks(client_in(language).get(reverse("accounts:login")), language, LOGIN[language])


@pytest.mark.parametrize("language", ["vi", "en", "id"])
def test_registration_page(language, db):
    response = client_in(language).get(reverse("accounts:register"))
    assert_speaks(response, language, REGISTER[language])


@pytest.mark.parametrize("language", ["en", "id"])
def test_registration_errors(language, db):
    response = client_in(language).post(
        reverse("accounts:register"),
        {
            "full_name": "",
            "kind": "citizen",
            "email": "",
            "phone": "",
            "language": language,
            "password1": "x",
            "password2": "y",
        },
    )
    page = html.unescape(response.content.decode())
    expected = {
        "en": [
            "The two passwords do not match.",
            "Some information is not valid; please check it again",
        ],
        "id": [
            "Kedua kata sandi tidak cocok.",
            "Ada data yang belum valid; silakan periksa kembali",
        ],
    }[language]
    assert [text for text in expected if text not in page] == []


@pytest.mark.parametrize("language", ["vi", "en", "id"])
def test_back_office_queue(language, submitted, counter_a):
    response = client_in(language, user=counter_a).get(reverse("office:queue"))
    assert_speaks(response, language, QUEUE[language])


def test_saved_language_of_an_official_applies_without_a_cookie(submitted, counter_a):
    counter_a.language = "id"
    counter_a.save()
    response = client_in(None, user=counter_a).get(reverse("office:queue"))
    assert_speaks(response, "id", QUEUE["id"])


@pytest.mark.parametrize(
    ("language", "title"),
    [
        ("vi", "Chưa xác thực"),
        ("en", "Not authenticated"),
        ("id", "Belum terautentikasi"),
    ],
)
def test_api_problem_follows_accept_language(language, title, db):
    response = client_in(None).get("/api/v1/dossiers", headers={"Accept-Language": language})
    assert response.status_code == 401
    assert response["Content-Type"] == "application/problem+json"
    assert response["Content-Language"] == language
    assert response.json()["title"] == title


@pytest.mark.parametrize(
    ("language", "title", "detail"),
    [
        ("en", "Not found", "Dossier NO-SUCH-CODE was not found."),
        ("id", "Tidak ditemukan", "Berkas permohonan NO-SUCH-CODE tidak ditemukan."),
    ],
)
def test_api_not_found_problem_is_translated(language, title, detail, citizen):
    _token, key = ApiToken.issue(citizen, "test")
    response = client_in(None).get(
        "/api/v1/dossiers/NO-SUCH-CODE",
        headers={"Authorization": f"Bearer {key}", "Accept-Language": language},
    )
    assert response.status_code == 404
    body = response.json()
    assert (body["title"], body["detail"]) == (title, detail)


@pytest.mark.parametrize("language", ["vi", "en", "id"])
def test_language_switcher_names_each_language_in_itself(language, db):
    page = client_in(language).get(reverse("portal:home")).content.decode()
    for code, name in [("vi", "Tiếng Việt"), ("en", "English"), ("id", "Bahasa Indonesia")]:
        assert f'lang="{code}"' in page and f">{name}</option>" in page
    assert f'<option value="{language}" lang="{language}" selected>' in page


# The pages of the official documents, the exchange, the index and open data: no
# Vietnamese interface text left in English or Indonesian.
NEW_PAGES = [
    ("reports:scoreboard", None),
    ("opendata:index", None),
    ("documents:home", "leader_a"),
    ("documents:outgoing_new", "leader_a"),
    ("exchange:outbox", "leader_a"),
    ("exchange:inbox", "leader_a"),
    ("reports:dashboard", "leader_a"),
]


@pytest.mark.parametrize("language", ["en", "id"])
@pytest.mark.parametrize(("name", "who"), NEW_PAGES)
def test_documents_exchange_index_and_open_data_pages(language, name, who, request, submitted):
    user = request.getfixturevalue(who) if who else None
    response = client_in(language, user=user).get(reverse(name))
    assert_speaks(response, language, [])
