"""The glossary: the abbreviations and measures the lessons use, in plain words.

One source, ``painlab/data/glossary.md`` (the same file as the book's glossary page,
``book/glossary.md``; a test keeps them identical). Lessons link to
``notebooks/glossary.md``, written from it by :func:`markdown`, and a cell can ask for one
term: ``pl.glossary.define("MVC")``.

Examples
--------
>>> from painlab import glossary
>>> print(glossary.define("1RM"))  # doctest: +ELLIPSIS
1RM: One-repetition maximum: the heaviest load a person can lift once...
"""

from __future__ import annotations

import functools
import sys
import textwrap
import types
from pathlib import Path
from typing import Any

__all__ = ["TERMS", "define", "markdown", "terms"]

_SOURCE = Path(__file__).parent / "data" / "glossary.md"
_WIDTH = 100


@functools.cache
def terms() -> dict[str, str]:
    """Every term and its definition, in the glossary's order."""
    text = _SOURCE.read_text(encoding="utf-8")
    block = text.split("```{glossary}", 1)[1].split("```", 1)[0]
    out: dict[str, str] = {}
    term = None
    for line in block.splitlines():
        if line and not line.startswith(" "):
            term = line.strip()
            out[term] = ""
        elif term and line.strip():
            out[term] = (out[term] + " " + line.strip()).strip()
    return out


TERMS = tuple(terms())


def define(term: str) -> str:
    """The definition of `term` (case-insensitive), wrapped to 100 characters.

    Raises
    ------
    KeyError
        Listing the terms the glossary has.
    """
    if not isinstance(term, str):
        raise TypeError(f"term must be text such as 'MVC'; got {term!r}")
    table = terms()
    match = next((t for t in table if t.lower() == term.strip().lower()), None)
    if match is None:
        raise KeyError(f"no glossary term {term!r}; the glossary has: {', '.join(table)}")
    return textwrap.fill(f"{match}: {table[match]}", _WIDTH)


def markdown() -> str:
    """The glossary as a plain markdown page (what ``notebooks/glossary.md`` holds)."""
    lines = [
        "# Glossary",
        "",
        "The abbreviations and measures the lessons use, in plain words. "
        "Sign convention everywhere in painlab: a positive effect means **less pain**.",
        "",
    ]
    for term, definition in terms().items():
        lines += [f"**{term}**", f": {definition}", ""]
    return "\n".join(lines)


class _Glossary(types.ModuleType):
    """Lets a lesson cell write ``pl.glossary("MVC")``."""

    def __call__(self, term: str) -> Any:
        from painlab.tables import text

        return text(define(term))


sys.modules[__name__].__class__ = _Glossary
