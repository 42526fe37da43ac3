# ruff: noqa: S603 - the test runs its own commands, with fixed arguments
"""Two real digigov instances exchange documents over HTTP; one goes down for a while.

Each instance is its own gunicorn process with its own SQLite database, secret, CA,
agency and keys, and registers the other as a peer with ``digigov exchange_peer add``.
A sends documents to B through the documents app's issue-and-send; the worker
(``digigov exchange_send``) delivers them; B registers them and answers 01 and 03.
Then B is stopped, A sends more (they wait, retried with backoff, in order), B comes
back, the workers run, and B must hold every document exactly once, in the order sent,
and A must show status 03 for each.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
TOOL = Path(__file__).resolve().parent / "instance_tool.py"
A_CODE, A_NAME = "000.00.00.H37", "UBND tỉnh Lạng Sơn"
B_CODE, B_NAME = "000.00.00.H29", "UBND Thành phố Hồ Chí Minh"

pytestmark = pytest.mark.skipif(not (BIN / "gunicorn").exists() or not (BIN / "digigov").exists(),
                                reason="needs the gunicorn and digigov commands of the venv")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Instance:
    def __init__(self, name: str, base: Path, code: str, agency_name: str):
        self.name, self.code, self.agency_name = name, code, agency_name
        self.dir = base / name
        self.dir.mkdir()
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.server: subprocess.Popen | None = None
        env = {k: v for k, v in os.environ.items()
               if not k.startswith(("DATABASE_URL", "EXCHANGE_", "SIGNING_", "PYTEST"))}
        env.update({
            "DJANGO_SETTINGS_MODULE": "digigov.settings",
            "DATABASE_URL": f"sqlite:///{self.dir / 'db.sqlite3'}",
            "DIGIGOV_VAR_DIR": str(self.dir), "SECRET_KEY": f"two-instances-{name}-" + "x" * 40,
            "DEBUG": "0", "DIGIGOV_TESTING": "1", "LOG_LEVEL": "ERROR",
            "EXCHANGE_RETRY_BASE_SECONDS": "0.2", "EXCHANGE_RETRY_MAX_SECONDS": "1",
            "EXCHANGE_HTTP_TIMEOUT": "5", "SIGNING_TSA_URL": "",
        })
        self.env = env

    def run(self, *args: str, check: bool = True) -> subprocess.CompletedProcess:
        done = subprocess.run(args, env=self.env, cwd=ROOT, capture_output=True, text=True,
                              timeout=120)
        if check and done.returncode != 0:
            raise AssertionError(f"{self.name}: {' '.join(args)} failed\n{done.stdout}\n"
                                 f"{done.stderr[-3000:]}")
        return done

    def digigov(self, *args: str, check: bool = True) -> subprocess.CompletedProcess:
        return self.run(str(BIN / "digigov"), *args, check=check)

    def tool(self, *args: str) -> dict:
        out = self.run(sys.executable, str(TOOL), *args).stdout
        line = [x for x in out.splitlines() if x.startswith("RESULT ")][-1]
        return json.loads(line[len("RESULT "):])

    def report(self) -> dict:
        """What the instance holds, read straight from its database (no Django start-up)."""
        with sqlite3.connect(self.dir / "db.sqlite3") as db:
            def rows(sql):
                return db.execute(sql).fetchall()

            return {
                "incoming": [r[0] for r in rows(
                    "SELECT document_id FROM documents_incomingdocument ORDER BY id")],
                "inbox_documents": [r[0] for r in rows(
                    "SELECT document_id FROM exchange_inboxmessage WHERE kind = 'document' "
                    "ORDER BY id")],
                "outgoing": [{"document_id": r[0], "statuses": (r[1] or "").split(",")}
                             for r in rows(
                    "SELECT d.document_id, group_concat(r.status) FROM "
                    "documents_outgoingdocument d LEFT JOIN documents_outgoingrecipient r "
                    "ON r.document_id = d.id GROUP BY d.id ORDER BY d.id")],
                "outbox": [{"document_id": r[0], "state": r[1], "attempts": r[2],
                            "error": r[3], "kind": r[4]} for r in rows(
                    "SELECT document_id, state, attempts, last_error, kind FROM "
                    "exchange_outboxmessage ORDER BY channel_id, seq")],
                "statuses": rows("SELECT status_code, count(*) FROM exchange_statusrecord "
                                 "GROUP BY status_code"),
            }

    def start(self) -> None:
        log = open(self.dir / "server.log", "a")  # noqa: SIM115 - closed with the process
        self.server = subprocess.Popen(
            [str(BIN / "gunicorn"), "digigov.wsgi:application", "--bind",
             f"127.0.0.1:{self.port}", "--workers", "1", "--threads", "4",
             "--log-level", "warning"], env=self.env, cwd=ROOT, stdout=log, stderr=log)
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if self.server.poll() is not None:
                raise AssertionError(f"{self.name} did not start: "
                                     f"{(self.dir / 'server.log').read_text()[-2000:]}")
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.5):
                    return
            except OSError:
                time.sleep(0.1)
        raise AssertionError(f"{self.name} did not open its port")

    def stop(self) -> None:
        if self.server is not None and self.server.poll() is None:
            self.server.send_signal(signal.SIGTERM)
            try:
                self.server.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.server.kill()
                self.server.wait()
        self.server = None


@pytest.fixture
def instances(tmp_path):
    template = tmp_path / "template"
    template.mkdir()
    migrate = subprocess.run(
        [str(BIN / "digigov"), "migrate", "--noinput"], cwd=ROOT, capture_output=True,
        text=True, timeout=180,
        env={**{k: v for k, v in os.environ.items() if not k.startswith("DATABASE_URL")},
             "DATABASE_URL": f"sqlite:///{template / 'db.sqlite3'}",
             "DIGIGOV_VAR_DIR": str(template), "DJANGO_SETTINGS_MODULE": "digigov.settings"})
    assert migrate.returncode == 0, migrate.stderr[-3000:]
    a = Instance("a", tmp_path, A_CODE, A_NAME)
    b = Instance("b", tmp_path, B_CODE, B_NAME)
    for inst in (a, b):
        shutil.copy(template / "db.sqlite3", inst.dir / "db.sqlite3")
        inst.tool("seed", "--code", inst.code, "--name", inst.agency_name,
                  "--ca-out", str(inst.dir / "ca.pem"))
    for inst, other in ((a, b), (b, a)):
        inst.digigov("exchange_peer", "add", f"Hệ thống {other.name.upper()}",
                     "--url", f"{other.url}/lien-thong/edxml/", "--organ", other.code,
                     "--certificate", str(other.dir / "ca.pem"))
    try:
        yield a, b
    finally:
        a.stop()
        b.stop()


def _send(a, count, start):
    return a.tool("send", "--code", A_CODE, "--to", B_CODE, "--to-name", B_NAME,
                  "--count", str(count), "--start", str(start))["document_ids"]


def test_two_instances_exchange_and_survive_an_outage(instances):
    a, b = instances
    a.start()
    b.start()

    first = _send(a, 3, 1)
    a.digigov("exchange_send", "--drain", "--timeout", "30")  # documents to B
    b.digigov("exchange_send", "--drain", "--timeout", "30")  # statuses 01, 03 to A
    assert b.report()["incoming"] == first

    b.stop()  # B is down
    second = _send(a, 3, 4)
    failed = a.digigov("exchange_send", check=False)
    assert "failed=1" in failed.stdout
    waiting = [m for m in a.report()["outbox"] if m["state"] == "pending"]
    assert [m["document_id"] for m in waiting] == second
    assert waiting[0]["attempts"] >= 1 and "Connection" in waiting[0]["error"]
    assert [m["attempts"] for m in waiting[1:]] == [0, 0]  # they wait their turn

    b.start()  # B is back
    a.digigov("exchange_send", "--drain", "--timeout", "30")
    b.digigov("exchange_send", "--drain", "--timeout", "30")

    b_report, a_report = b.report(), a.report()
    assert b_report["incoming"] == first + second  # every document, once, in order
    assert b_report["inbox_documents"] == first + second
    assert [d["document_id"] for d in a_report["outgoing"]] == first + second
    assert all(d["statuses"] == ["03"] for d in a_report["outgoing"]), a_report["outgoing"]
    assert {m["state"] for m in a_report["outbox"] + b_report["outbox"]} == {"delivered"}
    assert dict(a_report["statuses"]) == {"01": 6, "03": 6}
