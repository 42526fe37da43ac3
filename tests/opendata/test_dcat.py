"""The DCAT-AP catalog, parsed back with rdflib: JSON-LD, Turtle and content negotiation."""

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCAT, DCTERMS, FOAF, RDF, XSD

from digigov.opendata.dcat import VCARD, negotiate

pytestmark = pytest.mark.django_db

BASE = "http://testserver"
DATASET = URIRef(f"{BASE}/du-lieu-mo/ho-so-tiep-nhan/")


def parsed(response, fmt) -> Graph:
    assert response.status_code == 200
    return Graph().parse(data=response.content.decode("utf-8"), format=fmt)


def check_catalog(g: Graph, published):
    catalog = URIRef(f"{BASE}/du-lieu-mo/catalog")
    assert (catalog, RDF.type, DCAT.Catalog) in g
    assert set(g.objects(catalog, DCAT.dataset)) == {DATASET}
    assert (DATASET, RDF.type, DCAT.Dataset) in g
    assert (DATASET, DCTERMS.title, Literal("Số hồ sơ tiếp nhận của xã A", lang="vi")) in g
    assert (DATASET, DCTERMS.description,
            Literal("Số hồ sơ tiếp nhận theo tháng, đơn vị.", lang="vi")) in g
    assert set(g.objects(DATASET, DCAT.keyword)) == {Literal("thống kê", lang="vi"),
                                                      Literal("hồ sơ", lang="vi")}
    publisher = g.value(DATASET, DCTERMS.publisher)
    assert (publisher, RDF.type, FOAF.Agent) in g
    assert g.value(publisher, FOAF.name) == Literal("UBND xã A", lang="vi")
    assert g.value(DATASET, DCTERMS.license) == \
        URIRef("https://creativecommons.org/licenses/by/4.0/")
    assert g.value(DATASET, DCTERMS.accrualPeriodicity) == \
        URIRef("http://publications.europa.eu/resource/authority/frequency/MONTHLY")
    place = g.value(DATASET, DCTERMS.spatial)
    assert (place, RDF.type, DCTERMS.Location) in g
    contact = g.value(DATASET, DCAT.contactPoint)
    assert g.value(contact, VCARD.hasEmail) == URIRef("mailto:vanphong@xa-a.example.vn")
    assert g.value(contact, VCARD.fn) == Literal("Văn phòng UBND xã A", lang="vi")
    assert g.value(DATASET, DCTERMS.issued).datatype == XSD.dateTime
    assert g.value(DATASET, DCTERMS.modified) is not None
    distributions = set(g.objects(DATASET, DCAT.distribution))
    assert len(distributions) == 2
    files = [d for d in distributions if g.value(d, DCAT.downloadURL) is not None]
    (dist,) = files
    resource = published.resources.get(kind="file")
    assert (dist, RDF.type, DCAT.Distribution) in g
    assert str(g.value(dist, DCAT.downloadURL)).endswith(
        f"/du-lieu-mo/ho-so-tiep-nhan/tai-nguyen/{resource.uuid}/ho-so-tiep-nhan.csv")
    assert g.value(dist, DCAT.accessURL) is not None
    assert g.value(dist, DCTERMS.format) == \
        URIRef("http://publications.europa.eu/resource/authority/file-type/CSV")
    assert g.value(dist, DCAT.mediaType) == \
        URIRef("https://www.iana.org/assignments/media-types/text/csv")
    assert g.value(dist, DCAT.byteSize).toPython() == resource.size
    (api,) = distributions - {dist}
    assert g.value(api, DCAT.accessURL) == URIRef("https://api.example.vn/ho-so")


def test_turtle(client, published):
    response = client.get("/du-lieu-mo/catalog.ttl")
    assert response["Content-Type"].startswith("text/turtle")
    check_catalog(parsed(response, "turtle"), published)


def test_jsonld(client, published):
    response = client.get("/du-lieu-mo/catalog.jsonld")
    assert response["Content-Type"].startswith("application/ld+json")
    check_catalog(parsed(response, "json-ld"), published)


def test_temporal_coverage(client, published, admin_a):
    import datetime as dt

    from digigov.opendata import services

    services.update_dataset(actor=admin_a, dataset=published,
                            temporal_start=dt.date(2026, 1, 1), temporal_end=dt.date(2026, 6, 30))
    g = parsed(client.get("/du-lieu-mo/catalog.ttl"), "turtle")
    period = g.value(DATASET, DCTERMS.temporal)
    assert (period, RDF.type, DCTERMS.PeriodOfTime) in g
    assert g.value(period, DCAT.startDate) == Literal(dt.date(2026, 1, 1), datatype=XSD.date)
    assert g.value(period, DCAT.endDate) == Literal(dt.date(2026, 6, 30), datatype=XSD.date)


def test_drafts_are_not_in_the_catalog(client, draft):
    g = parsed(client.get("/du-lieu-mo/catalog.ttl"), "turtle")
    assert not list(g.subjects(RDF.type, DCAT.Dataset))


@pytest.mark.parametrize(("accept", "content_type", "fmt"), [
    ("text/turtle", "text/turtle", "turtle"),
    ("application/ld+json", "application/ld+json", "json-ld"),
    ("application/rdf+xml", "application/rdf+xml", "xml"),
    ("text/html;q=0.9, text/turtle;q=0.5", "text/turtle", "turtle"),
    ("*/*", "application/ld+json", "json-ld"),
])
def test_content_negotiation(client, published, accept, content_type, fmt):
    response = client.get("/du-lieu-mo/catalog", HTTP_ACCEPT=accept)
    assert response["Content-Type"].startswith(content_type)
    assert "Accept" in response["Vary"]
    check_catalog(parsed(response, fmt), published)


def test_unacceptable(client, published):
    response = client.get("/du-lieu-mo/catalog", HTTP_ACCEPT="image/png")
    assert response.status_code == 406


def test_negotiate():
    assert negotiate("") == "json-ld"
    assert negotiate("text/turtle;q=0, application/ld+json") == "json-ld"
    assert negotiate("image/png") is None


def test_the_catalog_follows_every_change(client, published, admin_a, other_published):
    from digigov.opendata import services

    from .conftest import csv_file

    g = parsed(client.get("/du-lieu-mo/catalog.ttl"), "turtle")
    assert len(list(g.subjects(RDF.type, DCAT.Dataset))) == 2
    resource = published.resources.get(kind="file")
    services.replace_resource(actor=admin_a, resource=resource, upload=csv_file(text="a\n1\n"))
    g = parsed(client.get("/du-lieu-mo/catalog.ttl"), "turtle")
    sizes = {o.toPython() for o in g.objects(None, DCAT.byteSize)}
    assert 4 in sizes
    services.unpublish_dataset(actor=admin_a, dataset=published)
    g = parsed(client.get("/du-lieu-mo/catalog.ttl"), "turtle")
    assert list(g.subjects(RDF.type, DCAT.Dataset)) == [
        URIRef(f"{BASE}/du-lieu-mo/diem-wifi-cong-cong/")]
