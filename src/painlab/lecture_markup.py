"""The lecture app's text as HTML: evidence and speaker notes, key points, claim ranges.

Markup only (every text escaped); :mod:`painlab.presenter` places it on screen and
:mod:`painlab.lecture` holds the words (``data/lecture.toml``).
"""

from __future__ import annotations

import html

from painlab import studies
from painlab.lecture import Lecture, Segment

__all__ = ["details", "keypoints_table", "mechanism_points", "ranges"]

#: The key points the mechanisms segment lists beside its diagram.
MECHANISM_CLAIMS = ("K13", "K14", "K15", "K16", "K17", "K18")


def details(seg: Segment) -> str:
    """Under the stage: what the evidence says (with its sources), what is only the model's
    illustration, what later studies qualify, the references, and the speaker notes."""
    cites = studies.citations()
    refs = "".join(
        f"<li>{html.escape(cites[k].reference())}</li>" for k in seg.all_cites if k in cites
    )
    return (
        "<details class='painlab-evidence'><summary>Evidence and sources</summary>"
        f"<p><b>What the evidence says.</b> {html.escape(seg.evidence)} "
        f"<i>({html.escape(seg.sources(seg.cites))})</i></p>"
        f"<p><b>Illustrative.</b> {html.escape(seg.illustrative)}</p>"
        f"<p><b>Qualified by later evidence.</b> {html.escape(seg.qualified)} "
        f"<i>({html.escape(seg.sources(seg.qualified_cites))})</i></p>"
        f"<ol>{refs}</ol></details>"
        "<details class='painlab-notes'><summary>Speaker notes</summary>"
        f"<p><b>Show.</b> {html.escape(seg.show)}</p></details>"
    )


def mechanism_points(lecture: Lecture) -> str:
    """K13-K18, each with the first mechanism finding that supports it (short citation)."""
    items = ""
    for claim in MECHANISM_CLAIMS:
        recs = studies.mechanism_findings(claim=claim)
        if recs:
            items += (
                f"<li><b>{claim}</b> {html.escape(lecture.keypoints[claim])} "
                f"<i>({html.escape(recs[0].citation.short)})</i></li>"
            )
    return f"<ul class='painlab-keylist'>{items}</ul>"


def keypoints_table(lecture: Lecture) -> str:
    """Every key point K0-K18 in one table (the wrap-up)."""
    rows = "".join(
        f"<tr><th scope='row'>{k}</th><td>{html.escape(v)}</td></tr>"
        for k, v in lecture.keypoints.items()
    )
    return (
        "<table class='painlab-table painlab-keypoints'><caption>Key points K0–K18"
        f"</caption><tbody>{rows}</tbody></table>"
    )


def ranges(claims: tuple[str, ...]) -> str:
    """Key point ids as short ranges: ("K13", "K14", "K15") -> "K13–K15"."""
    nums = sorted(int(c[1:]) for c in claims)
    parts, start = [], nums[0]
    for a, b in zip(nums, [*nums[1:], None], strict=True):
        if b != a + 1:
            parts.append(f"K{start}" if start == a else f"K{start}–K{a}")
            start = b if b is not None else a
    return ", ".join(parts)
