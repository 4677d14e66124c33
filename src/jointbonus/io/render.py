"""JSON text, the same way for every document the library writes.

>>> print(render_json({"paid": "12.50", "hit": True}), end="")
{
  "paid": "12.50",
  "hit": true
}

A large document is written in pieces rather than made whole: the helpers
below give the text of one piece exactly as :func:`render_json` writes it
inside the whole document, so the pieces joined are the same text, byte for
byte. Nested ``level`` deep, a value's text is its own text with every line
after the first indented ``2 x level`` more spaces (a string never holds a
raw newline: it is escaped):

>>> print("{\\n  " + string_text("paid") + ": " + nested_text({"units": 1250}, 1) + "\\n}")
{
  "paid": {
    "units": 1250
  }
}
>>> compact_text({"paid": "12.50", "hit": None})
'{"paid":"12.50","hit":null}'
"""

from __future__ import annotations

import functools
import json
from collections.abc import Iterable
from itertools import repeat
from json.encoder import encode_basestring
from typing import Any

from jointbonus.errors import argument, refuse

__all__ = [
    "COMPACT_SEPARATORS",
    "INDENT",
    "ObjectTexts",
    "compact_text",
    "nested_text",
    "render_json",
    "string_text",
    "string_texts",
]

#: Spaces per level of :func:`render_json`.
INDENT = 2

#: The separators of :func:`compact_text`: no space after a comma or a colon.
COMPACT_SEPARATORS = (",", ":")


def render_json(document: dict[str, Any]) -> str:
    """A document as JSON text: two-space indent, keys in their set order, newline at end.

    Keys keep the order they were set in and non-ASCII text is written as
    it is, so the same document gives the same text, byte for byte.
    """
    argument("document", document, dict, "a dict (a JSON document)")
    try:
        return json.dumps(document, indent=INDENT, ensure_ascii=False) + "\n"
    except (TypeError, ValueError, RecursionError) as error:  # a value JSON has no form for
        refuse("document", document, f"a document of JSON values ({error})")


def nested_text(value: Any, level: int) -> str:
    """``value`` as :func:`render_json` writes it ``level`` levels deep (no newline at end).

    Level 0 is the document itself; a value of one of its keys is at level
    1, an item of that value's list at level 2, and so on.

    :mod:`json` writes an indented document in pure Python; here an object
    or a list whose values are all strings, numbers, booleans or ``null``
    is written by the C encoder, with the separators that give the same
    text (a comma, a newline and the indent between items; ``": "`` after a
    key), and an object or list holding others is put together from its
    values' texts the way :mod:`json` puts it together.
    """
    if isinstance(value, dict):
        if not value:
            return "{}"
        if not all(map(isinstance, value, repeat(str))):  # json's own conversions
            return _indented(value, level)
        opening, between, closing, flat = _levels(level)
        if _flat(value.values()):
            items = flat.encode(value)[1:-1]
        else:
            items = between.join(
                f"{encode_basestring(key)}: {nested_text(item, level + 1)}"
                for key, item in value.items()
            )
        return "{" + opening + items + closing + "}"
    if isinstance(value, _LISTS):
        if not value:
            return "[]"
        opening, between, closing, flat = _levels(level)
        if _flat(value):
            items = flat.encode(value)[1:-1]
        else:
            items = between.join(nested_text(item, level + 1) for item in value)
        return "[" + opening + items + closing + "]"
    return _indented(value, level)


def _indented(value: Any, level: int) -> str:
    """``value`` written by :mod:`json` itself with the indent, and indented ``level`` deep."""
    text = json.dumps(value, indent=INDENT, ensure_ascii=False)
    return text.replace("\n", "\n" + " " * (INDENT * level)) if level else text


#: What :mod:`json` writes as a list; with ``dict``, what holds other values.
_LISTS = (list, tuple)
_CONTAINERS = (dict, list, tuple)


@functools.cache
def _levels(level: int) -> tuple[str, str, str, json.JSONEncoder]:
    """``level`` deep: what follows an opening bracket, what separates two items, what
    comes before the closing bracket, and the C encoder of a flat object or list that
    separates its items so."""
    inner = "\n" + " " * (INDENT * (level + 1))
    between = "," + inner
    encoder = json.JSONEncoder(ensure_ascii=False, separators=(between, ": "))
    return inner, between, "\n" + " " * (INDENT * level), encoder


def _flat(values: Iterable[Any]) -> bool:
    """Whether none of ``values`` is an object or a list."""
    return not any(map(isinstance, values, repeat(_CONTAINERS)))


def string_text(text: str) -> str:
    """A string (a value or a key) as JSON text, escaped as :func:`render_json` escapes it.

    ``"`` and ``\\`` are escaped, control characters too (``\\n``,
    ``\\u0001``); other characters, non-ASCII included, are written as they
    are. This is the very function :mod:`json` escapes with (in C where the
    interpreter has it), so the text is the same.
    """
    return encode_basestring(text)


def string_texts(texts: Iterable[str]) -> list[str]:
    """:func:`string_text` of each of ``texts``, in order (a column escaped in one pass)."""
    return list(map(encode_basestring, texts))


def compact_text(value: Any) -> str:
    """``value`` as JSON text on one line: :data:`COMPACT_SEPARATORS`, non-ASCII as it is.

    Made by the C encoder (:mod:`json` without ``indent``): a line of JSON
    Lines.
    """
    return json.dumps(value, ensure_ascii=False, separators=COMPACT_SEPARATORS)


#: The values whose item texts :class:`ObjectTexts` keeps: exactly these classes, so that
#: ``True`` (which equals ``1``) and ``1.0`` are never taken for the whole number ``1``.
_KEPT = frozenset({str, int, type(None)})


class ObjectTexts:
    """Objects as :func:`nested_text` writes them ``level`` deep, or as
    :func:`compact_text` writes them (``level=None``), for many objects that
    share their keys and many of their values.

    A stream of a plan's lines writes tens of thousands of objects with the
    same keys and a few values repeated (the month, a weight, an amount, a
    reason). Here each item whose value is a string, a whole number or
    ``null`` is written once, the first time it is met, and an object is its
    items' texts joined; any other value (an object, a list, a boolean, a
    number with a fraction) is written each time by those functions, and so
    is an object with a key that is not a string. The text is theirs, byte
    for byte:

    >>> texts = ObjectTexts(1)
    >>> texts({"paid": "12.50", "days": 31}) == nested_text({"paid": "12.50", "days": 31}, 1)
    True
    >>> ObjectTexts(None)({"paid": "12.50", "hit": None, "by": {"sales": 2}})
    '{"paid":"12.50","hit":null,"by":{"sales":2}}'
    """

    __slots__ = ("_between", "_closing", "_level", "_made", "_opening")

    def __init__(self, level: int | None) -> None:
        self._level = level
        if level is None:
            self._opening, self._between, self._closing = "{", ",", "}"
        else:
            opening, between, closing, _ = _levels(level)
            self._opening, self._between, self._closing = "{" + opening, between, closing + "}"
        self._made: dict[tuple[str, Any], str] = {}

    def __call__(self, document: dict[str, Any]) -> str:
        """The text of ``document``: :func:`nested_text` ``(document, level)``, or
        :func:`compact_text` ``(document)``."""
        if not document or not all(map(isinstance, document, repeat(str))):
            return self._whole(document)
        made = self._made
        texts = []
        for item in document.items():
            if type(item[1]) in _KEPT:
                text = made.get(item)
                if text is None:
                    text = made[item] = self._item(*item)
            else:
                text = self._item(*item)
            texts.append(text)
        return self._opening + self._between.join(texts) + self._closing

    def _whole(self, value: Any) -> str:
        level = self._level
        return compact_text(value) if level is None else nested_text(value, level)

    def _item(self, key: str, value: Any) -> str:
        level = self._level
        if level is None:
            return encode_basestring(key) + ":" + compact_text(value)
        return encode_basestring(key) + ": " + nested_text(value, level + 1)
