"""Clients that speak a chosen language, and the settings pages need in tests."""

import pytest
from django.conf import settings
from django.test import Client


@pytest.fixture(autouse=True)
def plain_static_storage(settings):
    # Pages are rendered without running collectstatic first.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.fixture(autouse=True)
def fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def client_in(language: str | None, user=None) -> Client:
    """A browser whose language switcher was set to ``language`` (None: never touched)."""
    client = Client()
    if language is not None:
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    if user is not None:
        client.force_login(user)
    return client
