"""The tables' building blocks: :class:`Table` and :class:`Text`, at most
:data:`WIDTH` characters wide, "not reported" instead of a gap."""

from __future__ import annotations

import math
import textwrap
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

#: Widest line a helper prints, in characters.
WIDTH = 100
#: Written where a source does not report a value.
MISSING = "not reported"


def _cell(value: Any) -> str:
    """One value as text: missing -> "not reported", whole floats -> integers."""
    if value is None:
        return MISSING
    try:
        import pandas as pd

        if value is pd.NA or (not isinstance(value, str) and pd.isna(value)):
            return MISSING
    except (TypeError, ValueError):
        pass
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float):
        if math.isnan(value):
            return MISSING
        return str(int(value)) if value.is_integer() else f"{value:.3g}"
    text = str(value).strip()
    return text if text else MISSING


@dataclass(frozen=True)
class Table:
    """Rows of text cells under headers, rendered at most `width` characters wide.

    Parameters
    ----------
    headers : tuple of str
    rows : tuple of tuple of str
    title : str, optional
        A line printed above the table.
    width : int
        The widest line, in characters (default :data:`WIDTH`).
    """

    headers: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    title: str = ""
    width: int = WIDTH

    def __post_init__(self) -> None:
        if not self.headers:
            raise ValueError("a table needs at least one column")
        if self.width < 20:
            raise ValueError(f"width must be at least 20 characters; got {self.width}")
        for row in self.rows:
            if len(row) != len(self.headers):
                raise ValueError(
                    f"every row needs {len(self.headers)} cells ({', '.join(self.headers)}); "
                    f"got {len(row)}"
                )

    def _widths(self) -> list[int]:
        n = len(self.headers)
        room = self.width - 2 * (n - 1)
        natural = [
            max([len(h)] + [len(r[i]) for r in self.rows]) for i, h in enumerate(self.headers)
        ]
        widths = list(natural)

        # Shrink the widest column that can still shrink, one character at a time, so
        # long text columns give way first; never below the longest (capped) word.
        def floors(cap: int) -> list[int]:
            return [
                max(
                    [len(w) for w in h.split()]
                    + [min(len(w), cap) for r in self.rows for w in r[i].split()]
                    + [3]
                )
                for i, h in enumerate(self.headers)
            ]

        # Keep whole words (up to 24 characters) unless the table cannot fit that way.
        floor = floors(24)
        if sum(floor) > room:
            floor = floors(8)
        while sum(widths) > room:
            shrinkable = [j for j in range(n) if widths[j] > floor[j]]
            if not shrinkable:
                break
            i = max(shrinkable, key=lambda j: widths[j])
            widths[i] -= 1
        return widths

    def __str__(self) -> str:
        widths = self._widths()
        lines = textwrap.wrap(self.title, self.width) if self.title else []

        def block(cells: Sequence[str]) -> list[str]:
            parts = [
                textwrap.wrap(c, w, break_long_words=True) or [""]
                for c, w in zip(cells, widths, strict=True)
            ]
            height = max(len(p) for p in parts)
            return [
                "  ".join(
                    (p[k] if k < len(p) else "").ljust(w)
                    for p, w in zip(parts, widths, strict=True)
                ).rstrip()
                for k in range(height)
            ]

        lines += block(self.headers)
        lines.append("  ".join("-" * w for w in widths))
        for row in self.rows:
            lines += block(row)
        return "\n".join(line[: self.width] for line in lines)

    def __repr__(self) -> str:
        return str(self)

    def _repr_pretty_(self, p: Any, cycle: bool) -> None:
        p.text(str(self))

    def __len__(self) -> int:
        return len(self.rows)


@dataclass(frozen=True)
class Text:
    """Lines of text, each wrapped to at most :data:`WIDTH` characters."""

    lines: tuple[str, ...]

    def __str__(self) -> str:
        out: list[str] = []
        for line in (part for chunk in self.lines for part in chunk.split("\n")):
            indent = " " * (len(line) - len(line.lstrip()))
            out += textwrap.wrap(line, WIDTH, subsequent_indent=indent + "  ") or [""]
        return "\n".join(out)

    def __repr__(self) -> str:
        return str(self)

    def _repr_pretty_(self, p: Any, cycle: bool) -> None:
        p.text(str(self))


def text(*lines: str) -> Text:
    """Lines of text wrapped to :data:`WIDTH` (a line may contain newlines)."""
    return Text(tuple(part for line in lines for part in str(line).split("\n")))


def table(records: Any, columns: dict[str, str] | Sequence[str], title: str = "") -> Table:
    """A :class:`Table` from a pandas DataFrame or a list of dicts.

    Parameters
    ----------
    records : pandas.DataFrame or iterable of dict
    columns : dict or sequence of str
        Which columns, in order; a dict maps column name -> header shown.
    title : str, optional
    """
    cols = dict(columns) if isinstance(columns, dict) else {c: c for c in columns}
    if hasattr(records, "to_dict"):
        missing = [c for c in cols if c not in records.columns]
        rows = records.to_dict("records")
    else:
        rows = list(records)
        missing = [c for c in cols if rows and c not in rows[0]]
    if missing:
        raise ValueError(f"columns: {missing} not in the data")
    return Table(
        tuple(cols.values()), tuple(tuple(_cell(r.get(c)) for c in cols) for r in rows), title
    )
