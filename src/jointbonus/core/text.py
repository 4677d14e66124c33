"""Text a user writes: member ids made one spelling, and what is safe to show on a terminal.

A member id is the key a person is paid under, so one id must have one
spelling. Unicode writes ``é`` either as one character (NFC) or as ``e``
and a combining accent (NFD); a roster exported by one system and a history
by another may differ only so. Every id is put in NFC (:func:`member_id`), so
both spellings are one member -- and two rows of them are one member's rows.

An id may not hold a character that is not text: a control character
(``\\x1b``, the start of a terminal escape sequence; a tab; a line feed), a
bidirectional mark or embedding (``U+202E``, which shows ``AB\\u202eDC`` as
``ABCD`` reversed in part), or any other formatting character (Unicode
categories ``Cc``, ``Cf``, ``Zl`` and ``Zp``). Such an id is refused where it
is read, with its file and line (:func:`unsafe_character`).

Whatever the command line prints passes through :func:`terminal_text`, which
writes such characters as escapes (``\\u202e``), so a name, a team or a reason
from an input file can never drive the terminal, even one no check refused.

>>> member_id("Ame\\u0301lie") == member_id("Amélie") == "Amélie"
True
>>> unsafe_character("DM-S01\\u202e")
'U+202E (a bidirectional or format character)'
>>> terminal_text("A\\x1b[2JB\\n")
'A\\\\u001b[2JB\\n'
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Iterator

__all__ = [
    "ID_CHARACTERS",
    "Escaped",
    "member_id",
    "terminal_text",
    "terminal_texts",
    "unsafe_character",
]

#: What a member id may hold, in words.
ID_CHARACTERS = "text without control, bidirectional or other format characters"

_KINDS = {
    "Cc": "a control character",
    "Cf": "a bidirectional or format character",
    "Zl": "a line separator",
    "Zp": "a paragraph separator",
}

#: A character that may not be text: anything but printable ASCII, a line feed or a tab
#: (which lay out a terminal's text); each one found is looked up in the Unicode database.
_SUSPECT = re.compile(r"[^\x20-\x7e\n\t]")
#: The bytes of the characters :data:`_SUSPECT` passes over: printable ASCII, line feed, tab.
_PLAIN_BYTES = bytes(range(0x20, 0x7F)) + b"\n\t"


def _unsafe(character: str) -> bool:
    return unicodedata.category(character) in _KINDS


def unsafe_character(text: str) -> str | None:
    """The first character of ``text`` that is not text, named; ``None`` if there is none.

    Control characters (C0, DEL, C1), format characters (bidirectional marks,
    embeddings and isolates, zero-width characters, the byte-order mark,
    tags) and the line and paragraph separators are not text. Python counts
    none of them printable, so a printable text is passed at once.
    """
    if text.isprintable():
        return None
    for character in text:
        if _unsafe(character):
            return f"U+{ord(character):04X} ({_KINDS[unicodedata.category(character)]})"
    return None


def member_id(text: str) -> str:
    """``text`` in Unicode normal form C: the one spelling of a member id."""
    return text if text.isascii() else unicodedata.normalize("NFC", text)


def _escaped(found: re.Match[str]) -> str:
    character = found[0]
    if not _unsafe(character):
        return character
    code = ord(character)
    if code <= 0xFFFF:
        return f"\\u{code:04x}"
    high, low = divmod(code - 0x10000, 0x400)  # a surrogate pair: also valid in JSON text
    return f"\\u{0xD800 + high:04x}\\u{0xDC00 + low:04x}"


def terminal_text(text: str) -> str:
    """``text`` with every control or format character but line feeds and tabs escaped.

    Escapes are ASCII (``\\u001b``, ``\\u202e``), valid in JSON text too, so the text shows what it
    holds and cannot move the cursor, clear the screen or reorder a line.
    """
    if text.isascii() and not text.encode("ascii").translate(None, _PLAIN_BYTES):
        return text  # nothing suspect: asked in C, at a byte a nanosecond (a JSON stream)
    return _SUSPECT.sub(_escaped, text)


def terminal_texts(texts: list[str]) -> list[str]:
    """:func:`terminal_text` of each of ``texts``, in order; ``texts`` itself if none
    holds a character to escape.

    Whether a text needs escaping is asked of each of its characters alone, so
    the texts joined need it exactly when one of them does: the question is
    asked once, of them all (a column of 100,000 member ids, once rather than
    100,000 times), and only if the answer is yes is each text escaped.
    """
    joined = "".join(texts)
    if joined.isascii() and not joined.encode("ascii").translate(None, _PLAIN_BYTES):
        return texts
    return list(map(terminal_text, texts))


class Escaped:
    """Pieces of text already as :func:`terminal_text` shows them, to be written as they are.

    A writer that escapes what it prints passes these over: their maker
    escaped each of their parts once, where it was made, which gives the same
    text (``terminal_text`` escapes character by character).
    """

    __slots__ = ("_pieces",)

    def __init__(self, pieces: Iterable[str]) -> None:
        self._pieces = pieces

    def __iter__(self) -> Iterator[str]:
        return iter(self._pieces)
