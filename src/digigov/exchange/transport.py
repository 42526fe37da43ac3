"""Sending a signed package to a peer over HTTP(S): ``POST <endpoint>`` with the XML as
the body. The answer decides what happens to the outbox row:

* 2xx: delivered (accepted now, or already accepted before: a duplicate);
* 400, 403, 404, 409, 413, 415, 422: refused for good (the package or its signature is
  not acceptable; retrying the same bytes cannot succeed);
* anything else (connection refused, timeout, 5xx, 429, 408): try again later.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from urllib.parse import urlsplit

import requests

from . import conf

PERMANENT = {400, 403, 404, 409, 413, 415, 422}
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
