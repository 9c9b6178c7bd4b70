"""The readout of a response in structured parts: verdict, range, reasons by group, sources.

Every front end shows the same readout: :func:`readout` returns it as data
(:class:`Readout`), which renders as HTML (:meth:`Readout.html`, the dashboards, the
handout, the presenter) or plain text (:meth:`Readout.text`, tests and screen readers).
The offline handout stores the readout of every dose by walking :meth:`Readout.pieces`
(literal markup, the summary, the range sentence, one piece per reason) instead of parsing
HTML back.
"""

from __future__ import annotations

import html
from collections.abc import Iterator
from dataclasses import dataclass

from painlab import studies, theme
from painlab.hypoalgesia import Reason, Response
from painlab.vocabulary import READOUT_GROUPS

__all__ = ["Item", "Readout", "item_html", "readout", "readout_html", "readout_text"]


@dataclass(frozen=True)
class Item:
    """One reason as the readout shows it.

    Attributes
    ----------
    reason : Reason
        The model's reason (its ``kind``, mark ✓/✗/≈/• and text).
    refs : str
        Short citations shown after the text ("" for the evidence line, which names its
        studies in its text).
    """

    reason: Reason
    refs: str

    @property
    def kind(self) -> str:
        return self.reason.kind

    @classmethod
    def of(cls, reason: Reason, cites: dict | None = None) -> Item:
        """The item of one reason (``cites``: :func:`painlab.studies.citations`)."""
        cites = studies.citations() if cites is None else cites
        keys = () if reason.kind == "evidence" else reason.references
        return cls(reason, ", ".join(cites[k].short for k in keys if k in cites))


def item_html(item: Item) -> str:
    """One reason as a list item (text escaped, references in italics)."""
    x = item.reason
    refs = f" <i>({html.escape(item.refs)})</i>" if item.refs else ""
    return f"<li>{x.mark} {html.escape(x.text)}{refs}</li>"


@dataclass(frozen=True)
class Readout:
    """What the readout says about one response (see :func:`readout`).

    Attributes
    ----------
    outcome : str
        ``"hypoalgesia"``, ``"none"`` or ``"hyperalgesia"`` (sets the verdict's colour).
    summary : str
        :meth:`Response.summary`: the bout, the verdict, d at each site, how long it lasts.
    range_text : str
        :meth:`Response.range_text`: the plausible range in words.
    groups : tuple of (str, tuple of Item)
        Headed groups of reasons, in :data:`painlab.vocabulary.READOUT_GROUPS` order.
    sources : tuple of str
        "Short (doi:... or PMID ...)" for every reference of the non-evidence reasons.
    reasons : tuple of Reason
        Every reason, in the model's order (:meth:`text` lists them so).
    """

    outcome: str
    summary: str
    range_text: str
    groups: tuple[tuple[str, tuple[Item, ...]], ...]
    sources: tuple[str, ...]
    reasons: tuple[Reason, ...] = ()

    def pieces(self) -> Iterator[tuple[str, object]]:
        """The HTML in order, as ``(what, value)``: ``("markup", str)`` literal markup,
        ``("summary", str)`` and ``("range", str)`` the two sentences (escaped when
        drawn), ``("item", Item)`` one reason. :meth:`html` joins them."""
        color = theme.VERDICT_TEXT[self.outcome]
        yield (
            "markup",
            "<div class='painlab-readout' role='status' aria-live='polite'>"
            f"<p style='font-size:1.1em'><b style='color:{color}'>",
        )
        yield "summary", self.summary
        yield "markup", "</b></p><p>"
        yield "range", self.range_text
        yield "markup", "</p>"
        for heading, items in self.groups:
            yield "markup", f"<p class='painlab-readout-group'><b>{heading}</b></p><ul>"
            for item in items:
                yield "item", item
            yield "markup", "</ul>"
        sources = "; ".join(html.escape(s) for s in self.sources)
        yield "markup", f"<p style='font-size:0.85em'>Sources: {sources}</p></div>"

    def html(self) -> str:
        """The readout as HTML (every text escaped)."""
        out = []
        for what, value in self.pieces():
            if what == "markup":
                out.append(str(value))
            elif what == "item":
                out.append(item_html(value))  # type: ignore[arg-type]
            else:
                out.append(html.escape(str(value)))
        return "".join(out)

    def text(self) -> str:
        """The readout as plain text: summary, range, then one line per reason."""
        return "\n".join([self.summary, self.range_text, *(str(x) for x in self.reasons)])


def readout(r: Response) -> Readout:
    """The readout of one response as structured parts."""
    cites = studies.citations()
    groups = []
    for kind, heading in READOUT_GROUPS.items():
        if kind == "condition" and r.population != "healthy":
            heading += " (read off healthy adults)"
        items = tuple(Item.of(x, cites) for x in r.reasons if x.kind == kind)
        if items:
            groups.append((heading, items))
    keys = dict.fromkeys(k for x in r.reasons if x.kind != "evidence" for k in x.references)
    sources = tuple(
        f"{cites[k].short} ({'doi:' + cites[k].doi if cites[k].doi else 'PMID ' + cites[k].pmid})"
        for k in keys
        if k in cites
    )
    return Readout(r.outcome, r.summary(), r.range_text(), tuple(groups), sources, r.reasons)


def readout_html(r: Response) -> str:
    """The readout for one response: verdict, effect per site, plausible range, then the
    documented conditions (✓/✗), findings, model assumptions and evidence, and sources."""
    return readout(r).html()


def readout_text(r: Response) -> str:
    """Plain-text version of :func:`readout_html` (for tests and screen readers)."""
    return readout(r).text()
