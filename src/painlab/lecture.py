"""The 50-minute lecture: the chapter's key points K0-K18 as timed segments.

A segment is one part of a live lecture: what the lecturer shows, what the room is asked
before the result is revealed, what the evidence says (with citation keys), what on screen
is only the model's illustration, where later studies qualify the chapter, and a
ConcepTest question (four options, one answer) for peer instruction.

The lecture is data: ``data/lecture.toml``, read and checked by :func:`load`. The same
segments feed the Voilà app (:class:`painlab.dashboards.Presenter`), the printable run
sheet (:func:`run_sheet_html`) and the one-page summary (:func:`summary_html`); the
lecture kit (:func:`export_kit`) writes both pages and the segment figures.

>>> from painlab import lecture
>>> lec = lecture.load()
>>> 45 <= lec.minutes <= 55
True
"""

from __future__ import annotations

import html
import os
import re
import tomllib
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import Any

from painlab import studies

__all__ = [
    "CLAIM_IDS",
    "LETTERS",
    "VIEWS",
    "Lecture",
    "LectureError",
    "Question",
    "Segment",
    "export_kit",
    "load",
    "run_sheet_html",
    "summary_html",
]

DATA = Path(__file__).parent / "data" / "lecture.toml"
ASSETS = Path(__file__).parent / "assets"
#: Key point ids of CLAIMS.md, in order.
CLAIM_IDS = tuple(f"K{i}" for i in range(19))
#: What a segment's screen can show (see :class:`painlab.dashboards.Presenter`).
VIEWS = ("explorer", "ab", "forest", "programme", "disagreements", "mechanisms", "summary")
#: ConcepTest option letters.
LETTERS = ("A", "B", "C", "D")
#: Planned lecture length [min]: the segments' minutes must add up to a value in here.
TOTAL_MINUTES = (45, 55)
_ID = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
_TEXT_FIELDS = ("title", "show", "ask", "evidence", "illustrative", "qualified")


class LectureError(ValueError):
    """The lecture data is invalid; the message names the segment, field and rule."""


@dataclass(frozen=True)
class Question:
    """A ConcepTest: one stem, options A-D, the correct letter and why."""

    stem: str
    options: tuple[str, ...]
    answer: str
    why: str

    def __post_init__(self) -> None:
        if len(self.options) != len(LETTERS):
            raise LectureError(f"question needs exactly 4 options (A-D); got {len(self.options)}")
        if self.answer not in LETTERS:
            raise LectureError(f"question answer must be one of A, B, C, D; got {self.answer!r}")

    @property
    def correct(self) -> str:
        """The text of the correct option."""
        return self.options[LETTERS.index(self.answer)]


@dataclass(frozen=True)
class Segment:
    """One timed part of the lecture (one ``[[segment]]`` of ``lecture.toml``).

    ``minutes`` is the planned time [min]; ``claims`` the key points taught; ``view`` what
    the screen shows (one of :data:`VIEWS`); ``cites`` and ``qualified_cites`` are
    citation keys of ``data/citations.csv``; ``setup`` the view's starting state.
    """

    id: str
    title: str
    minutes: float
    claims: tuple[str, ...]
    view: str
    show: str
    ask: str
    evidence: str
    cites: tuple[str, ...]
    illustrative: str
    qualified: str
    qualified_cites: tuple[str, ...]
    question: Question
    setup: Mapping[str, Any] = field(default_factory=lambda: MappingProxyType({}))

    @property
    def notes(self) -> str:
        """Speaker notes: what to show, what to ask, what the evidence says and its limits."""
        return "\n".join(
            [
                f"Show: {self.show}",
                f"Ask: {self.ask}",
                f"Evidence: {self.evidence} ({self.sources(self.cites)})",
                f"Illustrative: {self.illustrative}",
                f"Qualified later: {self.qualified} ({self.sources(self.qualified_cites)})",
            ]
        )

    @staticmethod
    def sources(keys: tuple[str, ...]) -> str:
        """In-text citations for ``keys``, e.g. ``"Hoffman et al. 2004; Naugle et al. 2012"``."""
        cites = studies.citations()
        return "; ".join(cites[k].short for k in keys)

    @property
    def all_cites(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(self.cites + self.qualified_cites))


@dataclass(frozen=True)
class Lecture:
    """The ordered segments and the key-point statements (K-id -> our wording)."""

    segments: tuple[Segment, ...]
    keypoints: Mapping[str, str]

    @property
    def minutes(self) -> float:
        """Planned length of the whole lecture [min]."""
        return sum(s.minutes for s in self.segments)

    def __iter__(self) -> Iterator[Segment]:
        return iter(self.segments)

    def __len__(self) -> int:
        return len(self.segments)

    def __getitem__(self, key: int | str) -> Segment:
        if isinstance(key, str):
            for s in self.segments:
                if s.id == key:
                    return s
            ids = ", ".join(s.id for s in self.segments)
            raise KeyError(f"no segment {key!r}; segments: {ids}")
        return self.segments[key]

    def covering(self, claim: str) -> tuple[Segment, ...]:
        """The segments that teach key point ``claim``."""
        return tuple(s for s in self.segments if claim in s.claims)

    def timetable(self) -> str:
        """The run sheet in one line per segment: start-end minutes, title, key points."""
        lines = [
            f"{t:4.0f}-{t + s.minutes:2.0f} min  {s.title}  ({', '.join(s.claims)})"
            for s, t in zip(self.segments, self.starts(), strict=True)
        ]
        return "\n".join([*lines, f"total: {self.minutes:g} min"])

    def starts(self) -> list[float]:
        """Minute at which each segment starts (0 for the first)."""
        out, t = [], 0.0
        for s in self.segments:
            out.append(t)
            t += s.minutes
        return out


# --------------------------------------------------------------------------- loading


def _fail(where: str, name: str, rule: str, got: object) -> LectureError:
    return LectureError(f"lecture.toml, {where}: {name} {rule}; got {got!r}")


def _text(raw: Mapping, where: str, name: str) -> str:
    value = raw.get(name)
    if not isinstance(value, str) or not value.strip():
        raise _fail(where, name, "must be non-empty text", value)
    return value.strip()


def _keys(raw: Mapping, where: str, name: str, cites: Mapping[str, Any]) -> tuple[str, ...]:
    value = raw.get(name)
    if not isinstance(value, list) or not value or not all(isinstance(v, str) for v in value):
        raise _fail(where, name, "must be a non-empty list of citation keys", value)
    unknown = [k for k in value if k not in cites]
    if unknown:
        raise _fail(where, name, "must name citation keys of data/citations.csv", unknown)
    return tuple(value)


def _question(raw: object, where: str) -> Question:
    if not isinstance(raw, Mapping):
        raise _fail(where, "question", "must be a table with stem, options, answer, why", raw)
    opts = raw.get("options")
    if (
        not isinstance(opts, list)
        or len(opts) != len(LETTERS)
        or not all(isinstance(o, str) and o.strip() for o in opts)
    ):
        raise _fail(where, "question.options", "must be 4 non-empty texts (A-D)", opts)
    answer = raw.get("answer")
    if answer not in LETTERS:
        raise _fail(where, "question.answer", "must be one of A, B, C, D", answer)
    return Question(
        _text(raw, where, "stem"), tuple(o.strip() for o in opts), answer, _text(raw, where, "why")
    )


def _segment(raw: object, i: int, cites: Mapping[str, Any]) -> Segment:
    if not isinstance(raw, Mapping):
        raise LectureError(f"lecture.toml: segment {i + 1} must be a table; got {raw!r}")
    sid = raw.get("id")
    if not isinstance(sid, str) or not _ID.match(sid):
        raise _fail(f"segment {i + 1}", "id", "must be lower-case words joined by dashes", sid)
    where = f"segment {sid!r}"
    minutes = raw.get("minutes")
    if isinstance(minutes, bool) or not isinstance(minutes, (int, float)) or not 1 <= minutes <= 20:
        raise _fail(where, "minutes", "must be a number of minutes from 1 to 20 [min]", minutes)
    claims = raw.get("claims")
    if (
        not isinstance(claims, list)
        or not claims
        or any(c not in CLAIM_IDS for c in claims)
        or len(set(claims)) != len(claims)
    ):
        raise _fail(where, "claims", "must be a non-empty list of distinct ids K0-K18", claims)
    view = raw.get("view")
    if view not in VIEWS:
        raise _fail(where, "view", f"must be one of {', '.join(VIEWS)}", view)
    setup = raw.get("setup", {})
    if not isinstance(setup, Mapping):
        raise _fail(where, "setup", "must be a table", setup)
    texts = {name: _text(raw, where, name) for name in _TEXT_FIELDS}
    return Segment(
        id=sid,
        minutes=float(minutes),
        claims=tuple(claims),
        view=view,
        cites=_keys(raw, where, "cites", cites),
        qualified_cites=_keys(raw, where, "qualified_cites", cites),
        question=_question(raw.get("question"), where),
        setup=MappingProxyType(dict(setup)),
        **texts,
    )


def load(path: str | os.PathLike[str] | None = None) -> Lecture:
    """Read and check the lecture (``data/lecture.toml`` by default).

    Checks: every segment has an id (unique), title, minutes (1-20), claims (K0-K18),
    view (:data:`VIEWS`), texts, citation keys known to :func:`painlab.studies.citations`
    and a ConcepTest with options A-D; the segments add up to 45-55 minutes and together
    cover every key point K0-K18, each of which has a statement in ``[keypoints]``.

    Raises
    ------
    LectureError
        Naming the segment, the field and the rule it breaks.
    """
    p = Path(path) if path is not None else DATA
    try:
        raw = tomllib.loads(p.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as e:
        raise LectureError(f"{p.name} is not valid TOML: {e}") from None
    cites = studies.citations()
    rows = raw.get("segment")
    if not isinstance(rows, list) or not rows:
        raise LectureError(f"{p.name} needs at least one [[segment]]")
    segments = tuple(_segment(r, i, cites) for i, r in enumerate(rows))
    ids = [s.id for s in segments]
    dup = sorted({i for i in ids if ids.count(i) > 1})
    if dup:
        raise LectureError(f"{p.name}: segment ids must be unique; repeated: {', '.join(dup)}")
    total = sum(s.minutes for s in segments)
    lo, hi = TOTAL_MINUTES
    if not lo <= total <= hi:
        raise LectureError(
            f"{p.name}: the segments' minutes must add up to {lo}-{hi} min; got {total:g} min"
        )
    covered = {c for s in segments for c in s.claims}
    missing = [c for c in CLAIM_IDS if c not in covered]
    if missing:
        raise LectureError(f"{p.name}: key points not covered by any segment: {missing}")
    kp = raw.get("keypoints")
    if not isinstance(kp, Mapping) or any(
        not isinstance(kp.get(c), str) or not kp[c].strip() for c in CLAIM_IDS
    ):
        raise LectureError(f"{p.name}: [keypoints] needs a statement for each of K0-K18")
    return Lecture(segments, MappingProxyType({c: kp[c].strip() for c in CLAIM_IDS}))


# --------------------------------------------------------------------------- printable pages


def _css() -> str:
    return (ASSETS / "print.css").read_text(encoding="utf-8")


def _page(title: str, body: str) -> str:
    return (
        "<!DOCTYPE html>\n<html lang='en'><head><meta charset='utf-8'>"
        f"<title>{html.escape(title)}</title><style>{_css()}</style></head>"
        f"<body><main>{body}</main></body></html>\n"
    )


def _refs(keys: list[str], compact: bool = False) -> str:
    """A reference list; ``compact``: in-text name, journal and DOI/PMID only (one page)."""
    cites = studies.citations()
    items = ""
    for k in keys if compact else sorted(set(keys)):
        c = cites[k]
        ident = f"doi:{c.doi}" if c.doi else f"PMID {c.pmid}"
        text = f"{c.short}. {c.journal}. {ident}" if compact else c.reference()
        items += f"<li>{html.escape(text)}</li>"
    return f"<ol class='refs{' compact' if compact else ''}'>{items}</ol>"


def summary_html(lecture: Lecture | None = None) -> str:
    """A one-page printable summary: K0-K18 in our words, where each is taught, references."""
    lec = lecture or load()
    order = sorted({k for s in lec for k in s.cites})  # the reference list, numbered
    number = {k: i for i, k in enumerate(order, 1)}
    position = {s.id: i for i, s in enumerate(lec, 1)}
    rows = ""
    for c in CLAIM_IDS:
        segs = lec.covering(c)
        refs = sorted({number[k] for s in segs for k in s.cites})
        rows += (
            f"<tr><th scope='row'>{c}</th><td>{html.escape(lec.keypoints[c])}</td>"
            f"<td>{', '.join(str(position[s.id]) for s in segs)}</td>"
            f"<td>{', '.join(map(str, refs))}</td></tr>"
        )
    body = (
        "<h1>Exercise and musculoskeletal pain: key points K0–K18</h1>"
        "<p class='lede'>painlab lecture handout. Statements in our own words; each is taught in "
        "the numbered lecture segment(s) and rests on the numbered references below.</p>"
        "<table class='summary'><thead><tr><th scope='col'>Id</th><th scope='col'>Key point</th>"
        "<th scope='col'>Segment</th><th scope='col'>References</th></tr></thead>"
        f"<tbody>{rows}</tbody></table><h2>References</h2>" + _refs(order, compact=True)
    )
    return _page("painlab: key points K0-K18", body)


def run_sheet_html(lecture: Lecture | None = None) -> str:
    """The printable run sheet: each segment with its start time, minutes and speaker notes."""
    lec = lecture or load()
    parts = [
        f"<h1>painlab lecture: run sheet ({lec.minutes:g} min)</h1>",
        "<p class='lede'>Start the app with <code>make present</code>. Keys: → / PageDown next, "
        "← / PageUp previous, R reveal, Q ConcepTest.</p>",
    ]
    for i, (s, start) in enumerate(zip(lec, lec.starts(), strict=True), 1):
        q = s.question
        opts = "".join(
            f"<li>{L}. {html.escape(o)}{' ✓' if q.answer == L else ''}</li>"
            for L, o in zip(LETTERS, q.options, strict=True)
        )
        parts.append(
            f"<section class='segment'><h2>{i}. {html.escape(s.title)} "
            f"<span class='time'>{start:g}–{start + s.minutes:g} min ({s.minutes:g} min) · "
            f"{', '.join(s.claims)}</span></h2><dl>"
            f"<dt>Show</dt><dd>{html.escape(s.show)}</dd>"
            f"<dt>Ask</dt><dd>{html.escape(s.ask)}</dd>"
            f"<dt>Evidence</dt><dd>{html.escape(s.evidence)} "
            f"<i>({html.escape(s.sources(s.cites))})</i></dd>"
            f"<dt>Illustrative</dt><dd>{html.escape(s.illustrative)}</dd>"
            f"<dt>Qualified later</dt><dd>{html.escape(s.qualified)} "
            f"<i>({html.escape(s.sources(s.qualified_cites))})</i></dd>"
            f"<dt>ConcepTest</dt><dd>{html.escape(q.stem)}<ol class='options'>{opts}</ol>"
            f"{html.escape(q.why)}</dd></dl></section>"
        )
    parts.append("<h2>References</h2>" + _refs([k for s in lec for k in s.all_cites]))
    return _page("painlab lecture: run sheet", "".join(parts))


def export_kit(
    folder: str | os.PathLike[str] = "lecture-kit",
    formats: tuple[str, ...] = ("png", "svg"),
    *,
    figures: bool = True,
    **kwargs: Any,
) -> list[Path]:
    """Write the lecture kit: run sheet, one-page summary and the segment figures.

    Parameters
    ----------
    folder : str or path-like, default "lecture-kit"
        Created if missing. ``run-sheet.html`` and ``summary.html`` are written
        atomically (a reader never sees half a page); figures go to ``figures/``.
    formats : tuple of str
        Image formats of the figures (see :func:`painlab.slides.export_figures`).
    figures : bool, default True
        Also draw the figures (needs Chromium, as ``export_figures``).
    **kwargs
        Passed to :func:`painlab.slides.export_segment_figures` (``width``, ``height``,
        ``scale``, ``browser_path``).

    Returns
    -------
    list of pathlib.Path
        Every file written.
    """
    from painlab._files import atomic_write, check_target

    if not isinstance(folder, (str, os.PathLike)) or isinstance(folder, bytes):
        raise TypeError(f"folder must be a folder path (str or pathlib.Path); got {folder!r}")
    out = Path(folder)
    if out.exists() and not out.is_dir():
        raise ValueError(f"folder {str(folder)!r} exists and is not a folder")
    lec = load()
    pages = {"run-sheet.html": run_sheet_html(lec), "summary.html": summary_html(lec)}
    for name in pages:
        check_target(out / name, "folder")
    written = []
    if figures:
        from painlab.slides import export_segment_figures

        written += export_segment_figures(lec, out / "figures", formats, **kwargs)
    for name, text in pages.items():
        written.append(atomic_write(out / name, text))
    return written


# --------------------------------------------------------------------------- segment state


def segment_bout(segment: Segment, side: str = ""):
    """The bout a segment's view starts with (``side`` "a" or "b" for an A/B segment).

    Returns None for views without a bout (forest, programme, summary).
    """
    from painlab.bouts import Bout

    s, p = segment.setup, f"{side}_" if side else ""
    if segment.view == "ab":
        p = "a_"  # both sides start from the same bout; only the population differs
    kind = s.get(f"{p}kind")
    if kind is None or s.get(f"{p}intensity") is None:
        return None
    muscle = s.get("muscle") if kind == "isometric" else None
    if s.get("to_failure"):
        return Bout(kind, s[f"{p}intensity"], to_failure=True, muscle=muscle)
    return Bout(kind, s[f"{p}intensity"], s[f"{p}duration"], muscle=muscle)


def segment_population(segment: Segment, side: str = "") -> str:
    """The population a segment's view starts with (``side`` "a" or "b" for A/B)."""
    key = f"{side}_population" if side else "population"
    return str(segment.setup.get(key, segment.setup.get("a_population", "healthy")))


def segment_figures(segment: Segment, *, scale: float = 1.6) -> dict[str, Any]:
    """The main figure(s) of a segment at its starting state (for slides and tests).

    Built by the same :mod:`painlab.figures` builders as the live app; returns
    ``{name: plotly.graph_objects.Figure}``.
    """
    from painlab import figures, hypoalgesia, programs

    view = segment.view
    if view in ("explorer", "mechanisms"):
        bout = segment_bout(segment)
        pop = segment_population(segment)
        r = hypoalgesia.predict(bout, pop)
        if view == "mechanisms":
            return {"mechanisms": figures.plot_mechanisms(r, scale=scale)}
        return {
            "dose_map": figures.plot_dose_map(bout.kind, pop, bout, scale=scale),
            "sites": figures.plot_sites(r, scale=scale),
            "time_course": figures.plot_time_course(r, scale=scale),
        }
    if view == "ab":
        bout = segment_bout(segment)
        out = {}
        for side in ("a", "b"):
            pop = segment_population(segment, side)
            out[f"sites_{pop}"] = figures.plot_sites(
                hypoalgesia.predict(bout, pop), scale=scale, title=f"{side.upper()}: {pop}"
            )
        return out
    if view == "forest":
        return {"condition_effects": figures.plot_condition_effects(scale=scale)}
    if view == "programme":
        prog = programs.Program(
            str(segment.setup.get("condition", "knee_osteoarthritis")),
            int(segment.setup.get("weeks", 12)),
        )
        return {"programme": figures.plot_program(programs.simulate(prog), scale=scale)}
    if view == "disagreements":
        kind = str(segment.setup.get("kind", "aerobic"))
        return {"dose_map": figures.plot_dose_map(kind, segment_population(segment), scale=scale)}
    return {}
