"""The CKAN API against a running server, through the ckanapi client from PyPI."""

import pytest

ckanapi = pytest.importorskip("ckanapi", reason="ckanapi (a dev dependency) is not installed")


@pytest.fixture
def ckan(live_server):
    with ckanapi.RemoteCKAN(live_server.url, user_agent="digigov-tests") as remote:
        yield remote


@pytest.fixture
def get_only(live_server):
    with ckanapi.RemoteCKAN(live_server.url, get_only=True) as remote:
        yield remote


def test_ckanapi_reads_the_catalog(live_server, ckan, get_only, published, other_published,
                                   theme):
    assert ckan.action.package_list() == ["diem-wifi-cong-cong", "ho-so-tiep-nhan"]
    assert get_only.action.package_list() == ["diem-wifi-cong-cong", "ho-so-tiep-nhan"]

    package = ckan.action.package_show(id="ho-so-tiep-nhan")
    assert package["title"] == "Số hồ sơ tiếp nhận của xã A"
    assert package["organization"]["name"] == "000-01-37-h37"
    assert ckan.action.package_show(id=package["id"])["name"] == "ho-so-tiep-nhan"

    found = ckan.action.package_search(q="tiep nhan")
    assert found["count"] == 1 and found["results"][0]["name"] == "ho-so-tiep-nhan"
    by_org = get_only.action.package_search(fq="organization:000-02-37-h37")
    assert [r["name"] for r in by_org["results"]] == ["diem-wifi-cong-cong"]
    page = ckan.action.package_search(q="", fq="res_format:CSV OR res_format:JSON", rows=1,
                                      start=1, sort="name asc")
    assert page["count"] == 2 and [r["name"] for r in page["results"]] == ["ho-so-tiep-nhan"]
    facets = ckan.action.package_search(**{"facet.field": ["organization", "res_format"]})
    assert facets["facets"]["res_format"]["CSV"] == 1

    assert ckan.action.organization_list() == ["000-01-37-h37", "000-02-37-h37"]
    orgs = ckan.action.organization_list(all_fields=True)
    assert {o["title"] for o in orgs} == {"UBND xã A", "UBND xã B"}
    assert ckan.action.group_list() == ["thong-ke"]
    assert ckan.action.tag_list() == ["hạ tầng", "hồ sơ", "thống kê"]

    rid = package["resources"][0]["id"]
    resource = ckan.action.resource_show(id=rid)
    assert resource["format"] == "CSV" and resource["mimetype"] == "text/csv"

    status = ckan.action.status_show()
    assert status["ckan_version"] and status["site_url"] == live_server.url


def test_ckanapi_on_the_versioned_path(live_server, published):
    class RemoteV3(ckanapi.RemoteCKAN):
        base_url = "api/3/action/"

    with RemoteV3(live_server.url) as remote:
        assert remote.action.package_list() == ["ho-so-tiep-nhan"]
        with pytest.raises(ckanapi.NotFound):
            remote.action.package_show(id="khong-co")


def test_ckanapi_errors(ckan, published, draft_b):
    with pytest.raises(ckanapi.NotFound):
        ckan.action.package_show(id="khong-co")
    with pytest.raises(ckanapi.NotFound):
        ckan.action.resource_show(id="00000000-0000-0000-0000-000000000000")
    with pytest.raises(ckanapi.ValidationError) as caught:
        ckan.action.package_show()
    assert caught.value.error_dict["id"] == ["Missing value"]
    with pytest.raises(ckanapi.NotAuthorized):
        ckan.action.package_show(id="nhap-xa-b")


@pytest.fixture
def draft_b(admin_b, commune_b):
    from digigov.opendata import services

    return services.create_dataset(actor=admin_b, publisher=commune_b, name="nhap-xa-b",
                                   title="Bản nháp của xã B")
