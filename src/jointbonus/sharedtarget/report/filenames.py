"""Safe file names for the statements, and where the pages go in an output folder.

:func:`statement_file_names` maps every member id to a plain file name
(letters, digits, ``.``, ``_`` and ``-``, never starting with a dot) that
cannot leave the folder it is written into, and no two of which collide on
any file system.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable

__all__ = ["STATEMENTS_FOLDER", "TRANSPARENCY_FILE", "statement_file_names"]

#: The transparency report's file name in an output folder.
TRANSPARENCY_FILE = "transparency.md"
#: The folder, inside an output folder, that holds one statement per member.
STATEMENTS_FOLDER = "statements"

_UNSAFE = re.compile(r"[^A-Za-z0-9._-]")
_RESERVED = {"CON", "PRN", "AUX", "NUL"} | {f"{p}{n}" for p in ("COM", "LPT") for n in range(10)}
_LONGEST = 80


def statement_file_names(member_ids: Iterable[str]) -> dict[str, str]:
    """The file name of each member's statement: ``{member id: "NAME.md"}``.

    An id made only of ASCII letters, digits, ``.``, ``_`` and ``-`` that does
    not start with a dot, is at most 80 characters long, is not a name Windows
    reserves (``CON``, ``NUL``, ``COM1``, ...) and differs from every other id
    in more than letter case keeps its name: ``DM-S01`` -> ``DM-S01.md``. Any
    other id has its other characters replaced by ``_``, leading dots and
    underscores dropped, and the first ten hexadecimal digits of its SHA-256
    appended, so that no two ids share a file, on any file system:
    ``../x`` -> ``x-d6b96a97d1.md``, ``a/b`` -> ``a_b-c14cddc033.md``. A name
    never holds a path separator and never starts with a dot.

    >>> statement_file_names(["DM-S01", "a/b"])
    {'DM-S01': 'DM-S01.md', 'a/b': 'a_b-c14cddc033.md'}
    """
    ids = list(dict.fromkeys(member_ids))
    folded: dict[str, int] = {}
    for member_id in ids:
        folded[member_id.casefold()] = folded.get(member_id.casefold(), 0) + 1
    names: dict[str, str] = {}
    for member_id in ids:
        plain = (
            _UNSAFE.search(member_id) is None
            and not member_id.startswith(".")
            and len(member_id) <= _LONGEST
            and member_id.split(".")[0].upper() not in _RESERVED
            and folded[member_id.casefold()] == 1
        )
        if plain:
            names[member_id] = f"{member_id}.md"
        else:
            stem = _UNSAFE.sub("_", member_id).lstrip("._")[:_LONGEST]
            digest = hashlib.sha256(member_id.encode("utf-8", "surrogatepass")).hexdigest()
            names[member_id] = f"{stem}-{digest[:10]}.md" if stem else f"{digest[:10]}.md"
    taken: dict[str, str] = {}
    for member_id, name in names.items():
        other = taken.setdefault(name.casefold(), member_id)
        if other != member_id:  # a plain id that looks like another's hashed name
            digest = hashlib.sha256(member_id.encode("utf-8", "surrogatepass")).hexdigest()
            names[member_id] = f"{digest}.md"
    return names
