"""The English and Indonesian catalogs: complete, checked, compiled and in step with the source."""

import gettext
import shutil
from pathlib import Path

import pytest
from django.core.management import call_command

from .catalogs import (
    LOCALE_DIR,
    TRANSLATED_LANGUAGES,
    header,
    messages,
    mo_path,
    parse_po,
    placeholders,
    po_path,
    stray_percents,
)

PLURAL_FORMS = {"en": 2, "id": 1}


@pytest.fixture(scope="module", params=TRANSLATED_LANGUAGES)
def catalog(request):
    return request.param, parse_po(po_path(request.param))


def test_header_names_the_language_and_its_plural_forms(catalog):
    language, entries = catalog
    fields = header(entries)
    assert fields["Language"] == language
    assert fields["Content-Type"] == "text/plain; charset=UTF-8"
    assert f"nplurals={PLURAL_FORMS[language]};" in fields["Plural-Forms"]
    assert "fuzzy" not in entries[0].flags


def test_every_entry_is_translated_and_not_fuzzy(catalog):
    language, entries = catalog
    assert len(messages(entries)) > 800
    untranslated, fuzzy = [], []
    for e in messages(entries):
        forms = PLURAL_FORMS[language] if e.msgid_plural else 1
        if sorted(e.msgstr) != list(range(forms)) or not all(e.msgstr.values()):
            untranslated.append((e.line, e.msgid))
        if "fuzzy" in e.flags:
            fuzzy.append((e.line, e.msgid))
    assert untranslated == []
    assert fuzzy == []


def test_translations_keep_the_placeholders_of_the_source(catalog):
    language, entries = catalog
    wrong = []
    for e in messages(entries):
        for index, text in e.msgstr.items():
            source = (
                e.msgid_plural if e.msgid_plural and (index > 0 or language == "id") else e.msgid
            )
            if placeholders(text) != placeholders(source) or stray_percents(text):
                wrong.append((e.line, e.msgid, text))
    assert wrong == []


def test_no_translation_is_a_copy_of_the_vietnamese_source(catalog):
    _language, entries = catalog
    copies = [e.msgid for e in messages(entries) if e.msgid in e.msgstr.values()]
    assert copies == []


def test_both_catalogs_hold_the_same_messages():
    keys = [{e.key for e in messages(parse_po(po_path(lang)))} for lang in TRANSLATED_LANGUAGES]
    assert keys[0] == keys[1]


@pytest.mark.parametrize("language", TRANSLATED_LANGUAGES)
def test_compiled_catalog_matches_its_source(language):
    """The .mo that Django reads was compiled after the last edit of the .po."""
    with mo_path(language).open("rb") as handle:
        compiled = gettext.GNUTranslations(handle)._catalog
    expected = {}
    for e in messages(parse_po(po_path(language))):
        key = f"{e.msgctxt}\x04{e.msgid}" if e.msgctxt is not None else e.msgid
        if e.msgid_plural:
            expected.update({(key, index): text for index, text in e.msgstr.items()})
        else:
            expected[key] = e.msgstr[0]
    compiled.pop("", None)  # the header
    assert compiled == expected


def _copy_sources(destination: Path) -> None:
    """The files makemessages reads (templates, e-mail texts, Python) and the catalogs."""
    source_root = LOCALE_DIR.parent
    for path in source_root.rglob("*"):
        relative = path.relative_to(source_root)
        if "__pycache__" in relative.parts or not path.is_file():
            continue
        if relative.parts[0] == "locale" or path.suffix in (".py", ".html", ".txt"):
            target = destination / relative
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(path, target)


@pytest.mark.skipif(shutil.which("xgettext") is None, reason="gettext tools are not installed")
def test_catalogs_contain_every_translatable_string_of_the_source(tmp_path, settings, monkeypatch):
    """Extract the strings afresh, in a copy of the sources; nothing may be missing."""
    copy = tmp_path / "digigov"
    _copy_sources(copy)
    settings.LOCALE_PATHS = [copy / "locale"]
    monkeypatch.chdir(copy)  # makemessages works on the current directory
    call_command(
        "makemessages",
        locale=list(TRANSLATED_LANGUAGES),
        no_obsolete=True,
        extensions=["html", "txt", "py"],
        verbosity=0,
    )
    for language in TRANSLATED_LANGUAGES:
        fresh = parse_po(copy / "locale" / language / "LC_MESSAGES" / "django.po")
        shipped = {e.key for e in messages(parse_po(po_path(language)))}
        missing = [e.msgid for e in messages(fresh) if e.key not in shipped]
        assert missing == [], f"run `make messages` and translate these ({language})"
        assert len(messages(fresh)) == len(shipped)
