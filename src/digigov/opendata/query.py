"""CKAN's Solr-style search syntax for ``q`` and ``fq``, turned into database conditions.

Supported: ``field:value`` and ``field:"quoted value"`` terms for the fields
``organization`` (or ``owner_org``), ``tags``, ``res_format``, ``groups``,
``name``, ``id``, ``license_id``, ``title``, ``text``, and the terms CKAN
harvesters add (``dataset_type:dataset``, ``state:active``, ``capacity:public``);
bare words (searched in the text, diacritic-insensitive); ``AND`` (also implicit),
``OR``, ``NOT``, ``-`` and ``+`` prefixes, parentheses (also as ``tags:(a OR b)``),
and ``*:*``.
"""

from __future__ import annotations

import re
import uuid

from django.db.models import Q
from django.utils.translation import gettext as _

from digigov.core.errors import InvalidInput
from digigov.core.text import fold

from . import selectors

TOKEN_RE = re.compile(r'\s*(?:(\()|(\))|"((?:[^"\\]|\\.)*)"|([^\s()"]+))')
FIELDS = {"organization", "owner_org", "tags", "res_format", "groups", "name", "id",
          "license_id", "title", "text", "dataset_type", "state", "capacity"}


class QuerySyntaxError(InvalidInput):
    pass


def _tokens(text: str) -> list[tuple[str, str]]:
    tokens, position = [], 0
    text = text.strip()
    while position < len(text):
        match = TOKEN_RE.match(text, position)
        if not match or match.end() == position:
            raise QuerySyntaxError(_("Cú pháp tìm kiếm không hợp lệ gần “%(text)s”.")
                                   % {"text": text[position:position + 20]})
        position = match.end()
        open_, close, quoted, word = match.groups()
        if open_:
            tokens.append(("(", "("))
        elif close:
            tokens.append((")", ")"))
        elif quoted is not None:
            tokens.append(("str", quoted.replace('\\"', '"')))
        elif word is not None:
            tokens.append(("word", word))
    return tokens


def term(field: str, value: str) -> Q:
    value = value.strip()
    if field in ("organization", "owner_org"):
        return selectors.publisher_filter(value)
    if field == "id":
        try:
            return Q(uuid=uuid.UUID(value))
        except ValueError:
            return Q(pk__in=[])
    # What CKAN harvesters add to every query: every dataset here is an active public
    # "dataset"; drafts are filtered by who asks, not by these terms.
    if field == "dataset_type":
        return Q() if value == "dataset" else Q(pk__in=[])
    if field == "state":
        return Q() if value == "active" else Q(pk__in=[])
    if field == "capacity":
        return Q(state="published") if value == "public" else Q(state="draft")
    if field == "tags":
        return selectors.tag_filter(value)
    if field == "res_format":
        return selectors.format_filter(value)
    if field == "groups":
        return selectors.group_filter(value)
    if field == "name":
        return Q(name=value.lower())
    if field == "license_id":
        return Q(licence_id__iexact=value)
    if field == "title":
        condition = Q()
        for word in fold(value).split():
            condition &= Q(search_text__contains=word)
        return condition
    return selectors.text_filter(value)  # "text"


class _Parser:
    def __init__(self, tokens):
        self.tokens, self.i = tokens, 0

    def peek(self):
        return self.tokens[self.i] if self.i < len(self.tokens) else None

    def take(self):
        token = self.peek()
        self.i += 1
        return token

    def parse(self) -> Q:
        if not self.tokens:
            return Q()
        result = self.or_expr()
        if self.peek() is not None:
            raise QuerySyntaxError(_("Cú pháp tìm kiếm không hợp lệ: thừa “%(text)s”.")
                                   % {"text": self.peek()[1]})
        return result

    def or_expr(self) -> Q:
        result = self.and_expr()
        while self.peek() == ("word", "OR"):
            self.take()
            result = result | self.and_expr()
        return result

    def and_expr(self) -> Q:
        result = self.unary()
        while True:
            token = self.peek()
            if token is None or token == (")", ")") or token == ("word", "OR"):
                return result
            if token == ("word", "AND"):
                self.take()
            result = result & self.unary()

    def unary(self) -> Q:
        token = self.peek()
        if token == ("word", "NOT"):
            self.take()
            return ~self.unary()
        if token and token[0] == "word" and token[1][:1] in "-+" and len(token[1]) > 1:
            self.take()
            self.tokens.insert(self.i, ("word", token[1][1:]))
            inner = self.unary()
            return ~inner if token[1][0] == "-" else inner
        return self.atom()

    def atom(self) -> Q:
        token = self.take()
        if token is None:
            raise QuerySyntaxError(_("Cú pháp tìm kiếm không hợp lệ: thiếu điều kiện."))
        kind, value = token
        if kind == "(":
            result = self.or_expr()
            if self.take() != (")", ")"):
                raise QuerySyntaxError(_("Cú pháp tìm kiếm không hợp lệ: thiếu dấu “)”."))
            return result
        if kind == ")":
            raise QuerySyntaxError(_("Cú pháp tìm kiếm không hợp lệ: thừa dấu “)”."))
        if kind == "str":
            return selectors.text_filter(value)
        if value == "*:*":
            return Q()
        if ":" in value:
            field, _sep, rest = value.partition(":")
            field = field.lstrip("+")
            if field not in FIELDS:
                raise QuerySyntaxError(
                    _("Không tìm theo trường “%(field)s” được; các trường: %(fields)s.")
                    % {"field": field, "fields": ", ".join(sorted(FIELDS))})
            if rest:
                return term(field, rest)
            following = self.take()
            if following is None:
                raise QuerySyntaxError(_("Thiếu giá trị sau “%(field)s:”.") % {"field": field})
            if following[0] == "str":
                return term(field, following[1])
            if following[0] == "(":
                return self.value_group(field)
            raise QuerySyntaxError(_("Thiếu giá trị sau “%(field)s:”.") % {"field": field})
        return selectors.text_filter(value)

    def value_group(self, field: str) -> Q:
        """``field:(a OR b)`` / ``field:(a AND b)``."""
        result, op = None, "OR"
        while True:
            token = self.take()
            if token is None:
                raise QuerySyntaxError(_("Cú pháp tìm kiếm không hợp lệ: thiếu dấu “)”."))
            if token == (")", ")"):
                break
            if token in (("word", "OR"), ("word", "AND")):
                op = token[1]
                continue
            condition = term(field, token[1])
            if result is None:
                result = condition
            else:
                result = result | condition if op == "OR" else result & condition
            op = "OR"
        return result if result is not None else Q()


def parse(text: str | None) -> Q:
    """The condition of a ``q`` or ``fq`` string; QuerySyntaxError on bad syntax."""
    return _Parser(_tokens(text or "")).parse()


def has_fields(text: str | None) -> bool:
    return bool(re.search(r"(^|[\s(+\-])[a-z_]+:", text or "")) or "*:*" in (text or "")
