"""``digigov exchange_peer add|list|remove``: the other instances this one exchanges with."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from digigov.core.errors import DomainError
from digigov.exchange import selectors, services
from digigov.exchange.models import Peer


class Command(BaseCommand):
    help = "Register, list or remove the peers (other instances) of the document exchange."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        add = sub.add_parser("add", help="Register a peer.")
        add.add_argument("name")
        add.add_argument("--url", required=True,
                         help="Where the peer receives packages, e.g. "
                              "https://peer.example.vn/lien-thong/edxml/")
        add.add_argument("--organ", action="append", required=True, dest="organs",
                         help="An organ code the peer serves (repeat for several).")
        add.add_argument("--certificate", required=True, type=Path,
                         help="PEM file: the peer's signing certificate or its issuing CA.")
        sub.add_parser("list", help="List the peers.")
        remove = sub.add_parser("remove", help="Stop exchanging with a peer.")
        remove.add_argument("name")

    def handle(self, *args, action, **options):
        try:
            getattr(self, f"_{action}")(**options)
        except DomainError as exc:
            raise CommandError(str(exc.message)) from None

    def _add(self, *, name, url, organs, certificate, **options):
        try:
            pem = certificate.read_text()
        except OSError as exc:
            raise CommandError(f"Cannot read {certificate}: {exc}") from None
        codes = [c for item in organs for c in item.split(",")]
        peer = services.add_peer(name=name, endpoint_url=url, certificate_pem=pem,
                                 organ_codes=codes)
        self.stdout.write(f"Peer added: {peer.name} -> {peer.endpoint_url} "
                          f"({', '.join(peer.organ_codes)}), certificate {peer.fingerprint[:16]}")

    def _list(self, **options):
        rows = list(selectors.peers())
        if not rows:
            self.stdout.write("No peers.")
        for peer in rows:
            self.stdout.write(f"{peer.name}\t{peer.endpoint_url}\t{','.join(peer.organ_codes)}\t"
                              f"waiting={peer.waiting}\t{peer.fingerprint[:16]}")

    def _remove(self, *, name, **options):
        peer = Peer.objects.filter(name=name, is_active=True).first()
        if peer is None:
            raise CommandError(f"No active peer named {name!r}.")
        services.remove_peer(peer)
        self.stdout.write(f"Peer removed: {name}")
