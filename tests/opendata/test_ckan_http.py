"""The CKAN Action API through HTTP: envelopes, errors, search, facets, GET and POST."""

import json

import pytest

from digigov.accounts.models import ApiToken
from digigov.opendata import services

pytestmark = pytest.mark.django_db


def call(client, action, method="get", **params):
    if method == "post":
        return client.post(f"/api/3/action/{action}", data=json.dumps(params),
                           content_type="application/json")
    return client.get(f"/api/3/action/{action}", params)


def ok(response):
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["success"] is True
    action = response.wsgi_request.path.rsplit("/", 1)[-1]
    assert body["help"].endswith(f"/api/3/action/help_show?name={action}")
    return body["result"]


def test_api_root_and_unversioned_path(client, published):
    assert client.get("/api/3").json() == {"version": 3}
    assert client.get("/api/action/package_list").json()["result"] == ["ho-so-tiep-nhan"]


def test_package_list_shows_published_only(client, published, admin_a, commune_a):
    services.create_dataset(actor=admin_a, publisher=commune_a, name="nhap", title="Nháp")
    assert ok(call(client, "package_list")) == ["ho-so-tiep-nhan"]
    assert ok(call(client, "package_list", method="post")) == ["ho-so-tiep-nhan"]


def test_package_show_by_name_and_id_has_ckan_shape(client, published):
    result = ok(call(client, "package_show", id="ho-so-tiep-nhan"))
    assert ok(call(client, "package_show", id=str(published.uuid)))["name"] == "ho-so-tiep-nhan"
    assert result["id"] == str(published.uuid)
    assert result["title"] == "Số hồ sơ tiếp nhận của xã A"
    assert result["notes"].startswith("Số hồ sơ tiếp nhận")
    assert result["license_id"] == "CC-BY-4.0"
    assert result["license_title"] == "Creative Commons Attribution 4.0"
    assert result["organization"]["name"] == "000-01-37-h37"
    assert result["organization"]["title"] == "UBND xã A"
    assert sorted(t["name"] for t in result["tags"]) == ["hồ sơ", "thống kê"]
    assert [g["name"] for g in result["groups"]] == ["thong-ke"]
    assert result["metadata_created"] and result["metadata_modified"]
    extras = {e["key"]: e["value"] for e in result["extras"]}
    assert extras["frequency"] == "monthly" and extras["spatial_text"].startswith("Xã A")
    csv_res, api_res = result["resources"]
    assert csv_res["format"] == "CSV" and csv_res["mimetype"] == "text/csv"
    assert csv_res["size"] == published.resources.get(kind="file").size
    assert csv_res["url"].startswith("http://testserver/du-lieu-mo/ho-so-tiep-nhan/tai-nguyen/")
    assert csv_res["last_modified"]
    assert api_res["url"] == "https://api.example.vn/ho-so" and api_res["format"] == "API"
    # The resource URL downloads the file.
    download = client.get(csv_res["url"])
    assert download.status_code == 200
    assert b"".join(download.streaming_content).startswith(b"ma,ten,so_ho_so")


def test_errors_have_ckan_shapes(client, published, admin_a, commune_a):
    missing = call(client, "package_show", id="khong-co")
    assert missing.status_code == 404
    assert missing.json()["success"] is False
    assert missing.json()["error"]["__type"] == "Not Found Error"
    invalid = call(client, "package_show")
    assert invalid.status_code == 409
    assert invalid.json()["error"]["__type"] == "Validation Error"
    assert invalid.json()["error"]["id"] == ["Missing value"]
    services.create_dataset(actor=admin_a, publisher=commune_a, name="nhap", title="Nháp")
    private = call(client, "package_show", id="nhap")
    assert private.status_code == 403
    assert private.json()["error"]["__type"] == "Authorization Error"
    unknown = client.get("/api/3/action/no_such_action")
    assert unknown.status_code == 400 and unknown.json()["success"] is False
    bad_json = client.post("/api/3/action/package_search", data="{nope",
                           content_type="application/json")
    assert bad_json.status_code == 400 and "JSON" in bad_json.json()["error"]["message"]
    assert call(client, "package_search", rows="x").status_code == 409
    assert call(client, "package_search", rows=5000).status_code == 409
    bad_sort = call(client, "package_search", sort="secret desc")
    assert bad_sort.status_code == 409 and "sort" in bad_sort.json()["error"]
    bad_fq = call(client, "package_search", fq="owner:x")
    assert bad_fq.status_code == 409 and "fq" in bad_fq.json()["error"]
    assert call(client, "package_search", fq="tags:(a OR b").status_code == 409


def test_an_api_key_lets_the_administrator_see_drafts(client, published, admin_a, commune_a):
    services.create_dataset(actor=admin_a, publisher=commune_a, name="nhap", title="Nháp")
    _token, key = ApiToken.issue(admin_a, "ckan")
    seen = client.get("/api/3/action/package_show", {"id": "nhap"}, HTTP_AUTHORIZATION=key)
    assert ok(seen)["private"] is True
    wrong = client.get("/api/3/action/package_show", {"id": "nhap"},
                       HTTP_AUTHORIZATION="dg_wrong")
    assert wrong.status_code == 403


def test_package_search_q_is_diacritic_insensitive(client, published, other_published):
    for q in ("tiếp nhận", "tiep nhan", "TIEP NHAN xa a"):
        result = ok(call(client, "package_search", q=q))
        assert result["count"] == 1 and result["results"][0]["name"] == "ho-so-tiep-nhan"
    assert ok(call(client, "package_search", q="wifi"))["results"][0]["name"] == \
        "diem-wifi-cong-cong"
    assert ok(call(client, "package_search", q="khong co gi"))["count"] == 0
    assert ok(call(client, "package_search"))["count"] == 2


@pytest.mark.parametrize(("fq", "names"), [
    ("organization:000-01-37-h37", ["ho-so-tiep-nhan"]),
    ("organization:000.02.37.H37", ["diem-wifi-cong-cong"]),
    ("tags:thống-kê", []),
    ('tags:"thống kê"', ["ho-so-tiep-nhan"]),
    ('tags:"thong ke"', ["ho-so-tiep-nhan"]),
    ("res_format:CSV", ["ho-so-tiep-nhan"]),
    ("res_format:json", ["diem-wifi-cong-cong"]),
    ("groups:thong-ke", ["ho-so-tiep-nhan"]),
    ("res_format:CSV OR res_format:JSON", ["diem-wifi-cong-cong", "ho-so-tiep-nhan"]),
    ("res_format:(CSV OR JSON)", ["diem-wifi-cong-cong", "ho-so-tiep-nhan"]),
    ("res_format:API AND organization:000-01-37-h37", ["ho-so-tiep-nhan"]),
    ("res_format:JSON organization:000-01-37-h37", []),
    ("-organization:000-01-37-h37", ["diem-wifi-cong-cong"]),
    ("NOT tags:\"hạ tầng\"", ["ho-so-tiep-nhan"]),
    ("+license_id:ODC-BY-1.0", ["diem-wifi-cong-cong"]),
    ("(tags:\"hạ tầng\" OR groups:thong-ke) AND res_format:JSON", ["diem-wifi-cong-cong"]),
    ("*:*", ["diem-wifi-cong-cong", "ho-so-tiep-nhan"]),
    ("+dataset_type:dataset +state:active +capacity:public organization:000-02-37-h37",
     ["diem-wifi-cong-cong"]),
    ("dataset_type:harvest", []),
    ("capacity:private", []),
])
def test_package_search_fq(client, published, other_published, fq, names):
    result = ok(call(client, "package_search", fq=fq, sort="name asc"))
    assert [r["name"] for r in result["results"]] == names
    assert result["count"] == len(names)


def test_search_by_id_and_owner_org(client, published, other_published):
    result = ok(call(client, "package_search", fq=f"id:{published.uuid}"))
    assert [r["name"] for r in result["results"]] == ["ho-so-tiep-nhan"]
    result = ok(call(client, "package_search", fq=f"owner_org:{published.publisher.uuid}"))
    assert [r["name"] for r in result["results"]] == ["ho-so-tiep-nhan"]
    assert ok(call(client, "package_search", fq="id:not-a-uuid"))["count"] == 0


def test_package_search_q_with_field_terms(client, published, other_published):
    result = ok(call(client, "package_search", q="tags:\"hạ tầng\""))
    assert [r["name"] for r in result["results"]] == ["diem-wifi-cong-cong"]


def test_rows_start_sort(client, published, other_published):
    first = ok(call(client, "package_search", rows=1, start=0, sort="name asc"))
    second = ok(call(client, "package_search", rows=1, start=1, sort="name asc"))
    assert first["count"] == second["count"] == 2
    assert [first["results"][0]["name"], second["results"][0]["name"]] == \
        ["diem-wifi-cong-cong", "ho-so-tiep-nhan"]
    desc = ok(call(client, "package_search", sort="title_string desc", method="post"))
    assert [r["title"] for r in desc["results"]] == ["Số hồ sơ tiếp nhận của xã A",
                                                     "Điểm wifi công cộng"]
    assert ok(call(client, "package_search", rows=0))["results"] == []


def test_facets(client, published, other_published):
    result = ok(call(client, "package_search",
                     **{"facet.field": '["organization", "tags", "res_format", "groups"]'}))
    assert result["facets"]["organization"] == {"000-01-37-h37": 1, "000-02-37-h37": 1}
    assert result["facets"]["res_format"] == {"API": 1, "CSV": 1, "JSON": 1}
    assert result["facets"]["tags"] == {"hạ tầng": 1, "hồ sơ": 1, "thống kê": 1}
    orgs = result["search_facets"]["organization"]["items"]
    assert {"name": "000-01-37-h37", "display_name": "UBND xã A", "count": 1} in orgs
    posted = ok(call(client, "package_search", method="post", fq="res_format:CSV",
                     **{"facet.field": ["res_format"]}))
    assert posted["facets"] == {"res_format": {"API": 1, "CSV": 1}}
    assert call(client, "package_search", **{"facet.field": '["secret"]'}).status_code == 409


def test_organization_group_tag_resource_status(client, published, other_published, theme):
    assert ok(call(client, "organization_list")) == ["000-01-37-h37", "000-02-37-h37"]
    full = ok(call(client, "organization_list", all_fields="true"))
    assert full[0]["title"] == "UBND xã A" and full[0]["package_count"] == 1
    assert ok(call(client, "organization_list", sort="name desc", limit=1)) == ["000-02-37-h37"]
    org = ok(call(client, "organization_show", id="000-01-37-h37", include_datasets=True))
    assert org["package_count"] == 1 and org["packages"][0]["name"] == "ho-so-tiep-nhan"
    assert call(client, "organization_show", id="999-99-99-h99").status_code == 404
    assert ok(call(client, "group_list")) == ["thong-ke"]
    assert ok(call(client, "group_list", all_fields=True))[0]["package_count"] == 1
    assert ok(call(client, "group_show", id="thong-ke"))["title"] == "Thống kê"
    assert ok(call(client, "tag_list")) == ["hạ tầng", "hồ sơ", "thống kê"]
    assert ok(call(client, "tag_list", query="thong")) == ["thống kê"]
    rid = str(published.resources.get(kind="file").uuid)
    resource = ok(call(client, "resource_show", id=rid))
    assert resource["id"] == rid and resource["format"] == "CSV"
    assert resource["package_id"] == str(published.uuid)
    assert call(client, "resource_show", id="nope").status_code == 404
    status = ok(call(client, "status_show"))
    assert status["ckan_version"].startswith("2.")
    assert status["site_url"] == "http://testserver"
    assert "dcat" in status["extensions"] and status["site_title"]
    assert [lic["id"] for lic in ok(call(client, "license_list"))][0] == "CC-BY-4.0"
    assert "Search datasets" in ok(call(client, "help_show", name="package_search"))


def test_include_private_with_a_key(client, published, admin_a, admin_b, commune_a):
    services.create_dataset(actor=admin_a, publisher=commune_a, name="nhap", title="Nháp")
    _token, key = ApiToken.issue(admin_a, "ckan")
    _token_b, key_b = ApiToken.issue(admin_b, "ckan")
    mine = client.get("/api/3/action/package_search", {"include_private": "true"},
                      HTTP_AUTHORIZATION=key).json()["result"]
    assert sorted(r["name"] for r in mine["results"]) == ["ho-so-tiep-nhan", "nhap"]
    theirs = client.get("/api/3/action/package_search", {"include_private": "true"},
                        HTTP_AUTHORIZATION=f"Bearer {key_b}").json()["result"]
    assert [r["name"] for r in theirs["results"]] == ["ho-so-tiep-nhan"]
    anonymous = ok(call(client, "package_search", include_private="true"))
    assert anonymous["count"] == 1
