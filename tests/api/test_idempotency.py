"""Idempotency-Key: replays, mismatches, per-user keys, and concurrent duplicates."""

import threading

import pytest
from django.db import connection

from digigov.api.models import IdempotencyRecord
from digigov.dossiers.models import Dossier, Status
from tests.api.conftest import assert_problem, client_for, submission


def test_replay_returns_the_first_response_and_creates_nothing(citizen_api, procedure,
                                                               commune_a):
    first = citizen_api.post_multipart("/api/v1/dossiers", submission(procedure, commune_a),
                                       **{"Idempotency-Key": "nop-ho-so-1"})
    assert first.status_code == 201
    assert not first.has_header("Idempotent-Replayed")
    again = citizen_api.post_multipart("/api/v1/dossiers", submission(procedure, commune_a),
                                       **{"Idempotency-Key": "nop-ho-so-1"})
    assert again.status_code == 201
    assert again.content == first.content
    assert again["Location"] == first["Location"]
    assert again["Idempotent-Replayed"] == "true"
    assert Dossier.objects.count() == 1


def test_same_key_with_a_different_request_is_refused(citizen_api, procedure, commune_a,
                                                      commune_b):
    citizen_api.post_multipart("/api/v1/dossiers", submission(procedure, commune_a),
                               **{"Idempotency-Key": "k-1"})
    body = assert_problem(
        citizen_api.post_multipart("/api/v1/dossiers", submission(procedure, commune_b),
                                   **{"Idempotency-Key": "k-1"}),
        422, "idempotency_key_reused")
    assert "Idempotency-Key" in body["errors"]
    assert Dossier.objects.count() == 1


def test_keys_belong_to_one_user(procedure, commune_a, citizen, other_citizen):
    for user in (citizen, other_citizen):
        response = client_for(user).post_multipart(
            "/api/v1/dossiers", submission(procedure, commune_a), **{"Idempotency-Key": "same"})
        assert response.status_code == 201
    assert Dossier.objects.count() == 2
    assert IdempotencyRecord.objects.filter(key="same").count() == 2


def test_a_refused_request_is_not_stored(citizen_api, procedure, commune_a):
    bad = submission(procedure, commune_a, form_data="{}")
    assert_problem(citizen_api.post_multipart("/api/v1/dossiers", bad,
                                              **{"Idempotency-Key": "retry-me"}), 422)
    assert not IdempotencyRecord.objects.exists()
    fixed = citizen_api.post_multipart("/api/v1/dossiers", submission(procedure, commune_a),
                                       **{"Idempotency-Key": "retry-me"})
    assert fixed.status_code == 201


def test_actions_honour_the_key(new_dossier, counter_a):
    api = client_for(counter_a)
    path = f"/api/v1/dossiers/{new_dossier.code}/receive"
    first = api.post(path, **{"Idempotency-Key": "receive-1"})
    second = api.post(path, **{"Idempotency-Key": "receive-1"})
    assert first.status_code == second.status_code == 200
    assert first.content == second.content
    # Without the key the same action is judged again: the dossier is no longer new.
    assert_problem(api.post(path), 409, "invalid_transition")
    new_dossier.refresh_from_db()
    assert new_dossier.status == Status.RECEIVED


def test_malformed_key_is_rejected(citizen_api, procedure, commune_a):
    body = assert_problem(
        citizen_api.post_multipart("/api/v1/dossiers", submission(procedure, commune_a),
                                   **{"Idempotency-Key": "x" * 256}), 422, "invalid_input")
    assert "Idempotency-Key" in body["errors"]
    assert not Dossier.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_concurrent_duplicates_create_one_dossier(procedure, commune_a, citizen):
    if connection.vendor == "sqlite" and connection.settings_dict["NAME"].startswith(
            "file:memorydb"):
        # Threads share the in-memory database through SQLite's shared cache, whose table
        # locks do not wait; the IMMEDIATE transactions of a file database do.
        pytest.skip("needs a database file or PostgreSQL")
    api = client_for(citizen)
    barrier = threading.Barrier(4)
    responses = []

    def post():
        barrier.wait()
        try:
            responses.append(api.post_multipart("/api/v1/dossiers",
                                                submission(procedure, commune_a),
                                                **{"Idempotency-Key": "race"}))
        finally:
            connection.close()

    threads = [threading.Thread(target=post) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert [r.status_code for r in responses] == [201] * 4
    assert len({r.content for r in responses}) == 1
    assert Dossier.objects.count() == 1
