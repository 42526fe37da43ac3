"""The catalog in DCAT-AP (W3C DCAT 2 vocabulary), built with rdflib: JSON-LD and Turtle.

One ``dcat:Catalog`` holding every published ``dcat:Dataset`` with its
``dcat:Distribution`` list. Vietnamese literals carry the ``@vi`` tag;
frequencies and file types use the EU authority tables, media types IANA's.
"""

from __future__ import annotations

from rdflib import BNode, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCAT, DCTERMS, FOAF, RDF, RDFS, XSD

from . import licences, presenters
from .files import MEDIA_TYPES
from .models import Dataset

VCARD = Namespace("http://www.w3.org/2006/vcard/ns#")
ADMS = Namespace("http://www.w3.org/ns/adms#")
SKOS = Namespace("http://www.w3.org/2004/02/skos/core#")

FORMATS = {
    "text/turtle": "turtle", "application/x-turtle": "turtle",
    "application/ld+json": "json-ld", "application/json": "json-ld",
    "application/rdf+xml": "xml",
}
CONTENT_TYPES = {"turtle": "text/turtle", "json-ld": "application/ld+json",
                 "xml": "application/rdf+xml"}


def _vi(text: str) -> Literal:
    return Literal(text, lang="vi")


def _dt(value) -> Literal:
    return Literal(value.replace(microsecond=0).isoformat(), datatype=XSD.dateTime)


def build_graph(datasets, request=None) -> Graph:
    base = presenters.base_url(request)
    g = Graph()
    for prefix, ns in (("dcat", DCAT), ("dct", DCTERMS), ("foaf", FOAF), ("vcard", VCARD),
                       ("adms", ADMS), ("skos", SKOS)):
        g.bind(prefix, ns)
    catalog = URIRef(f"{base}/du-lieu-mo/catalog")
    g.add((catalog, RDF.type, DCAT.Catalog))
    g.add((catalog, DCTERMS.title, _vi("Danh mục dữ liệu mở")))
    g.add((catalog, DCTERMS.description,
           _vi("Các bộ dữ liệu mở do các cơ quan nhà nước công bố trên cổng digigov.")))
    g.add((catalog, DCTERMS.language,
           URIRef("http://publications.europa.eu/resource/authority/language/VIE")))
    g.add((catalog, FOAF.homepage, URIRef(f"{base}/du-lieu-mo/")))
    latest = None
    publishers = {}
    for dataset in datasets:
        node = URIRef(presenters.dataset_url(dataset, request))
        g.add((catalog, DCAT.dataset, node))
        _dataset(g, node, dataset, request, publishers)
        latest = max(latest, dataset.modified) if latest else dataset.modified
    if latest:
        g.add((catalog, DCTERMS.modified, _dt(latest)))
    return g


def _publisher(g: Graph, agency, request, seen: dict) -> URIRef:
    if agency.pk in seen:
        return seen[agency.pk]
    node = URIRef(presenters.base_url(request) + f"/du-lieu-mo/?publisher="
                  f"{agency.code.lower().replace('.', '-')}#publisher")
    g.add((node, RDF.type, FOAF.Agent))
    g.add((node, RDF.type, FOAF.Organization))
    g.add((node, FOAF.name, _vi(agency.name)))
    g.add((node, DCTERMS.identifier, Literal(agency.code)))
    seen[agency.pk] = node
    return node


def _dataset(g: Graph, node: URIRef, d: Dataset, request, publishers: dict) -> None:
    g.add((node, RDF.type, DCAT.Dataset))
    g.add((node, DCTERMS.identifier, Literal(str(d.uuid))))
    g.add((node, DCTERMS.title, _vi(d.title)))
    if d.notes:
        g.add((node, DCTERMS.description, _vi(d.notes)))
    g.add((node, DCAT.landingPage, node))
    for tag in d.tags.all():
        g.add((node, DCAT.keyword, _vi(tag.name)))
    for group in d.groups.all():
        theme = URIRef(presenters.base_url(request) + f"/du-lieu-mo/?group={group.name}")
        g.add((node, DCAT.theme, theme))
        g.add((theme, RDF.type, SKOS.Concept))
        g.add((theme, SKOS.prefLabel, _vi(group.title)))
    g.add((node, DCTERMS.publisher, _publisher(g, d.publisher, request, publishers)))
    licence = licences.get(d.licence_id)
    if licence:
        licence_node = URIRef(licence.url)
        g.add((node, DCTERMS.license, licence_node))
        g.add((licence_node, RDF.type, DCTERMS.LicenseDocument))
        g.add((licence_node, DCTERMS.title, Literal(licence.title)))
    code = licences.FREQUENCIES[d.frequency][0]
    g.add((node, DCTERMS.accrualPeriodicity, URIRef(licences.FREQUENCY_BASE + code)))
    if d.temporal_start or d.temporal_end:
        period = BNode()
        g.add((node, DCTERMS.temporal, period))
        g.add((period, RDF.type, DCTERMS.PeriodOfTime))
        if d.temporal_start:
            g.add((period, DCAT.startDate, Literal(d.temporal_start, datatype=XSD.date)))
        if d.temporal_end:
            g.add((period, DCAT.endDate, Literal(d.temporal_end, datatype=XSD.date)))
    if d.spatial:
        place = BNode()
        g.add((node, DCTERMS.spatial, place))
        g.add((place, RDF.type, DCTERMS.Location))
        g.add((place, RDFS.label, _vi(d.spatial)))
        g.add((place, SKOS.prefLabel, _vi(d.spatial)))
    if d.contact_name or d.contact_email:
        contact = BNode()
        g.add((node, DCAT.contactPoint, contact))
        g.add((contact, RDF.type, VCARD.Kind))
        g.add((contact, VCARD.fn, _vi(d.contact_name or d.publisher.name)))
        if d.contact_email:
            g.add((contact, VCARD.hasEmail, URIRef(f"mailto:{d.contact_email}")))
    if d.issued_at:
        g.add((node, DCTERMS.issued, _dt(d.issued_at)))
    g.add((node, DCTERMS.modified, _dt(d.modified)))
    for resource in d.resources.all():
        dist = URIRef(presenters.resource_page_url(resource, request))
        g.add((node, DCAT.distribution, dist))
        g.add((dist, RDF.type, DCAT.Distribution))
        g.add((dist, DCTERMS.title, _vi(resource.name)))
        if resource.description:
            g.add((dist, DCTERMS.description, _vi(resource.description)))
        url = URIRef(presenters.resource_url(resource, request))
        g.add((dist, DCAT.accessURL, url if not resource.is_file else
               URIRef(presenters.resource_page_url(resource, request))))
        if resource.is_file:
            g.add((dist, DCAT.downloadURL, url))
            g.add((dist, DCAT.byteSize, Literal(resource.size, datatype=XSD.nonNegativeInteger)))
            g.add((dist, DCTERMS.format,
                   URIRef(licences.FILE_TYPE_BASE + resource.format)))
            g.add((dist, DCAT.mediaType, URIRef(licences.MEDIA_TYPE_BASE
                                                + MEDIA_TYPES[resource.format])))
            g.add((dist, SPDX.checksum, _checksum(g, resource)))
        else:
            g.add((dist, DCTERMS.format, URIRef(licences.FILE_TYPE_BASE + "JSON")))
            g.add((dist, DCAT.mediaType, URIRef(licences.MEDIA_TYPE_BASE + resource.media_type)))
        g.add((dist, DCTERMS.modified, _dt(resource.last_modified)))
        if licence:
            g.add((dist, DCTERMS.license, URIRef(licence.url)))


SPDX = Namespace("http://spdx.org/rdf/terms#")


def _checksum(g: Graph, resource) -> BNode:
    node = BNode()
    g.bind("spdx", SPDX)
    g.add((node, RDF.type, SPDX.Checksum))
    g.add((node, SPDX.algorithm, SPDX.checksumAlgorithm_sha256))
    g.add((node, SPDX.checksumValue, Literal(resource.sha256, datatype=XSD.hexBinary)))
    return node


def serialize(graph: Graph, fmt: str) -> bytes:
    if fmt == "json-ld":
        context = {"dcat": str(DCAT), "dct": str(DCTERMS), "foaf": str(FOAF),
                   "vcard": str(VCARD), "skos": str(SKOS), "spdx": str(SPDX),
                   "xsd": str(XSD), "rdfs": str(RDFS)}
        return graph.serialize(format="json-ld", context=context, indent=1).encode("utf-8")
    return graph.serialize(format=fmt).encode("utf-8")


def negotiate(accept: str) -> str | None:
    """The serialisation the Accept header prefers, or None when it accepts none of ours."""
    if not accept.strip():
        return "json-ld"
    best, best_q = None, -1.0
    for part in accept.split(","):
        pieces = [p.strip() for p in part.split(";")]
        mime, q = pieces[0].lower(), 1.0
        for p in pieces[1:]:
            if p.startswith("q="):
                try:
                    q = float(p[2:])
                except ValueError:
                    q = 0.0
        fmt = FORMATS.get(mime) or ("json-ld" if mime in ("*/*", "application/*") else
                                    "turtle" if mime == "text/*" else None)
        if fmt and q > best_q and q > 0:
            best, best_q = fmt, q
    return best
