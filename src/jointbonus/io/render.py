"""JSON text, the same way for every document the library writes.

>>> print(render_json({"paid": "12.50", "hit": True}), end="")
{
  "paid": "12.50",
  "hit": true
}
"""

from __future__ import annotations

import json
from typing import Any

__all__ = ["render_json"]


def render_json(document: dict[str, Any]) -> str:
    """A document as JSON text: two-space indent, keys in their set order, newline at end.

    Keys keep the order they were set in and non-ASCII text is written as
    it is, so the same document gives the same text, byte for byte.
    """
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"
