"""Sending a signed package to a peer over HTTP(S): ``POST <endpoint>`` with the XML as
the body. The answer decides what happens to the outbox row:

* 2xx: delivered (accepted now, or already accepted before: a duplicate);
* 400, 403, 404, 409, 413, 415, 422: refused for good (the package or its signature is
  not acceptable; retrying the same bytes cannot succeed);
* anything else (connection refused, timeout, 5xx, 429, 408): try again later.

Several packages for one peer go in one request to ``<endpoint>batch/`` (``post_batch``):
a JSON body ``{"packages": [<base64 of each signed package>, ...]}`` in delivery order,
answered with one result per package in the same order. A peer without that endpoint
(404, 405, 501, or any other refusal of the request as a whole) gets the packages one by
one, as before.
"""

from __future__ import annotations

import base64
import json
import threading
from dataclasses import dataclass
from urllib.parse import urlsplit

import requests

from . import conf

PERMANENT = {400, 403, 404, 409, 413, 415, 422}
RETRY_LATER = {408, 429}
LOCAL_HOSTS = {"localhost", "127.0.0.1", "::1"}
_local = threading.local()


@dataclass
class Outcome:
    ok: bool
    permanent: bool = False
    detail: str = ""


def allowed_url(url: str) -> bool:
    """HTTPS, or plain HTTP to this machine (tests, a proxy on the same host)."""
    parts = urlsplit(url)
    if parts.scheme == "https" and parts.hostname:
        return True
    return parts.scheme == "http" and (parts.hostname or "") in LOCAL_HOSTS


def _session() -> requests.Session:
    session = getattr(_local, "session", None)
    if session is None:
        session = _local.session = requests.Session()
    return session


def post_package(url: str, payload: bytes, *, package_id: str) -> Outcome:
    if not allowed_url(url):
        return Outcome(False, True, f"refusing to send to {url}: HTTPS is required")
    try:
        response = _session().post(
            url, data=payload, timeout=conf.http_timeout(), verify=conf.ca_bundle(),
            headers={"Content-Type": "application/xml; charset=utf-8",
                     "Accept": "application/json", "X-Edxml-Package-Id": package_id},
            allow_redirects=False)
    except requests.RequestException as exc:
        return Outcome(False, False, f"{type(exc).__name__}: {exc}"[:1000])
    if 200 <= response.status_code < 300:
        return Outcome(True)
    detail = f"HTTP {response.status_code}: {_detail(response)}"[:2000]
    return Outcome(False, response.status_code in PERMANENT, detail)


def _detail(response: requests.Response) -> str:
    try:
        body = response.json()
    except ValueError:
        return response.text[:500]
    return str(body.get("detail") or body)[:1000] if isinstance(body, dict) else str(body)


def batch_url(endpoint_url: str) -> str:
    return endpoint_url.rstrip("/") + "/batch/"


def post_batch(url: str, payloads: list[bytes], *, package_ids: list[str]) -> list[Outcome] | None:
    """Post packages in one request: one ``Outcome`` per package, in order, ending at the
    first one the peer asks to send again (those after it were not processed), or
    ``None`` when the peer cannot take a batch (send them one by one instead)."""
    if not allowed_url(url):
        return [Outcome(False, True, f"refusing to send to {url}: HTTPS is required")]
    body = json.dumps({"packages": [base64.b64encode(p).decode("ascii") for p in payloads]})
    try:
        response = _session().post(
            url, data=body, timeout=conf.http_timeout() + len(payloads),
            verify=conf.ca_bundle(),
            headers={"Content-Type": "application/json", "Accept": "application/json",
                     "X-Edxml-Package-Ids": ",".join(package_ids)},
            allow_redirects=False)
    except requests.RequestException as exc:
        return [Outcome(False, False, f"{type(exc).__name__}: {exc}"[:1000])]
    status = response.status_code
    if status >= 500 and status != 501 or status in RETRY_LATER:
        return [Outcome(False, False, f"HTTP {status}: {_detail(response)}"[:2000])]
    if not 200 <= status < 300:
        return None  # no batch endpoint, or the batch as a whole was not understood
    try:
        results = response.json()["results"]
    except (ValueError, KeyError, TypeError):
        return None
    if not isinstance(results, list) or len(results) != len(payloads):
        return None
    outcomes = []
    for item in results:
        outcome = _batch_outcome(item if isinstance(item, dict) else {})
        outcomes.append(outcome)
        if not outcome.ok and not outcome.permanent:
            break
    return outcomes


def _batch_outcome(item: dict) -> Outcome:
    result = item.get("result")
    if result in ("accepted", "duplicate"):
        return Outcome(True)
    detail = str(item.get("detail") or item)[:1000]
    if result == "refused":
        status = item.get("status")
        return Outcome(False, status in PERMANENT, f"HTTP {status}: {detail}"[:2000])
    return Outcome(False, False, detail)
