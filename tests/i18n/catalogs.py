"""A small reader for the project's gettext catalogs (.po), standard library only."""

import ast
import re
from dataclasses import dataclass, field
from pathlib import Path

import digigov

LOCALE_DIR = Path(digigov.__file__).parent / "locale"
TRANSLATED_LANGUAGES = ("en", "id")

# Python-format placeholders as Django writes them: %(name)s, %(n)d, %s, and %% for a percent sign.
PLACEHOLDER = re.compile(r"%(?:\(\w+\))?[sd]")
ANY_PERCENT = re.compile(r"%(?:\(\w+\))?[sd]|%%|%")


@dataclass
class Entry:
    msgid: str = ""
    msgctxt: str | None = None
    msgid_plural: str | None = None
    msgstr: dict[int, str] = field(default_factory=dict)
    flags: set[str] = field(default_factory=set)
    line: int = 0

    @property
    def key(self) -> tuple[str | None, str]:
        return self.msgctxt, self.msgid


def po_path(language: str) -> Path:
    return LOCALE_DIR / language / "LC_MESSAGES" / "django.po"


def mo_path(language: str) -> Path:
    return LOCALE_DIR / language / "LC_MESSAGES" / "django.mo"


def _string(text: str, path: Path, number: int) -> str:
    text = text.strip()
    if not (text.startswith('"') and text.endswith('"')):
        raise ValueError(f"{path}:{number}: expected a quoted string, got {text!r}")
    return ast.literal_eval(text)  # PO escapes (\n, \", \\, \t) are Python's too


def parse_po(path: Path) -> list[Entry]:
    """Every entry of a catalog, the header (msgid "") first.

    Entries are separated by blank lines, as msgmerge writes them. Obsolete
    entries (#~) are refused: the catalogs are kept with --no-obsolete.
    """
    entries: list[Entry] = []
    current: Entry | None = None
    target: tuple[str, int] | None = None  # the string that a continuation line extends
    for number, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        line = raw.strip()
        if not line:
            current, target = None, None
            continue
        if current is None:
            current = Entry(line=number)
            entries.append(current)
        if line.startswith("#~"):
            raise ValueError(f"{path}:{number}: obsolete entry (run makemessages --no-obsolete)")
        if line.startswith("#,"):
            current.flags.update(flag.strip() for flag in line[2:].split(","))
        elif line.startswith("#"):
            continue
        elif line.startswith('"'):
            if target is None:
                raise ValueError(f"{path}:{number}: a string outside any keyword")
            name, index = target
            text = _string(line, path, number)
            if name == "msgstr":
                current.msgstr[index] += text
            else:
                setattr(current, name, getattr(current, name) + text)
        else:
            keyword, _, rest = line.partition(" ")
            text = _string(rest, path, number)
            if keyword in ("msgctxt", "msgid", "msgid_plural"):
                setattr(current, keyword, text)
                target = (keyword, 0)
            elif keyword == "msgstr" or re.fullmatch(r"msgstr\[\d+\]", keyword):
                index = int(keyword[7:-1]) if "[" in keyword else 0
                current.msgstr[index] = text
                target = ("msgstr", index)
            else:
                raise ValueError(f"{path}:{number}: unknown keyword {keyword!r}")
    return entries


def header(entries: list[Entry]) -> dict[str, str]:
    first = entries[0]
    assert first.msgid == "" and first.msgctxt is None, "the catalog must start with its header"
    fields = {}
    for row in first.msgstr[0].splitlines():
        name, _, value = row.partition(":")
        fields[name.strip()] = value.strip()
    return fields


def messages(entries: list[Entry]) -> list[Entry]:
    return [e for e in entries if e.msgid != "" or e.msgctxt is not None]


def placeholders(text: str) -> list[str]:
    return sorted(PLACEHOLDER.findall(text))


def stray_percents(text: str) -> list[str]:
    """Percent signs that Python's %-formatting would reject or misread."""
    return [m for m in ANY_PERCENT.findall(text) if m == "%"]
