"""The evidence: published studies behind every number painlab shows.

Four kinds of record, each loaded from a CSV file in ``painlab/data`` (see that folder's
``README.md`` for provenance and the column dictionary):

- :class:`Arm` -- one measurement of one arm of a single-bout exercise study: who
  exercised, how (kind, intensity, duration), which pain measure at which body site, how
  long after, and what happened (``hypoalgesia``, ``none`` or ``hyperalgesia``).
- :class:`Pooled` -- a meta-analytic effect size of acute exercise, with its 95% CI.
- :class:`ConditionEffect` -- exercise programmes versus control in one chronic pain
  condition (key point K6).
- :class:`Finding` -- programme evidence (K7-K12) and mechanism evidence (K13-K18).

Every record carries a :class:`Citation` with a DOI or PMID. Signs follow one convention
everywhere: a positive effect means *less* pain.

The loaders validate every row and raise :class:`EvidenceError` naming the file, the line
and the column when a value is missing, out of range, of the wrong form or refers to a
citation that is not defined.
"""

from __future__ import annotations

import csv
import datetime as _dt
import difflib
import functools
import io
import math
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, fields
from pathlib import Path
from typing import Any, TypeVar

__all__ = [
    "KINDS",
    "OUTCOMES",
    "POPULATIONS",
    "SITES",
    "Arm",
    "Citation",
    "ConditionEffect",
    "EvidenceError",
    "Finding",
    "Pooled",
    "Records",
    "arm",
    "arms",
    "citations",
    "condition_effects",
    "mechanism_findings",
    "pooled",
    "program_findings",
]

DATA_DIR = Path(__file__).parent / "data"

#: Exercise kinds and the unit their intensity is normalised to.
KINDS: dict[str, str] = {
    "aerobic": "pct_vo2max",
    "isometric": "pct_mvc",
    "dynamic_resistance": "pct_1rm",
}
#: Populations that single-bout studies were run in.
POPULATIONS: tuple[str, ...] = (
    "healthy",
    "older",
    "fibromyalgia",
    "knee_osteoarthritis",
    "chronic_low_back_pain",
    "chronic_neck_pain",
    "shoulder_myalgia",
    "chronic_fatigue_syndrome",
)
#: Body sites, relative to the exercising muscles.
SITES: tuple[str, ...] = ("exercising", "contralateral", "distant")
#: What the authors concluded happened to pain sensitivity.
OUTCOMES: tuple[str, ...] = ("hypoalgesia", "none", "hyperalgesia")
#: Conditions of key point K6.
CONDITIONS: tuple[str, ...] = (
    "chronic_neck_pain",
    "knee_osteoarthritis",
    "hip_osteoarthritis",
    "rheumatoid_arthritis",
    "fibromyalgia",
    "myofascial_pain",
    "chronic_low_back_pain",
)
PAIN_MEASURES = ("threshold", "tolerance", "rating", "temporal_summation", "not_stated")
STIMULI = ("pressure", "heat", "cold", "electrical", "ischemic")
SOURCE_READ = ("abstract", "full_text")
PROGRAM_TOPICS = (
    "supervision",
    "adherence_adjunct",
    "early_response",
    "intensity",
    "long_term",
    "dose",
)
MECHANISM_TOPICS = (
    "beta_endorphin",
    "beta_endorphin_pain_correlation",
    "central_opioid",
    "cross_tolerance",
    "gate_control",
    "descending_inhibition",
    "biopsychosocial",
)
DESIGNS = ("meta_analysis", "rct", "cohort", "crossover", "animal", "review", "theory")

_DOI = re.compile(r"^10\.\d{4,9}/[\x21-\x7e]+$")  # printable ASCII: no invisible characters
_PMID = re.compile(r"^\d{1,9}$")
_KEY = re.compile(r"^[a-z][a-z0-9_]*\d{4}[a-z]?$")
_CLAIM = re.compile(r"^K(1[0-8]|[0-9])$")


class EvidenceError(ValueError):
    """A row of an evidence file is invalid; the message names file, line and column."""


# --------------------------------------------------------------------------- records


@dataclass(frozen=True)
class Citation:
    """A published source. ``doi`` or ``pmid`` (or both) is always present."""

    key: str
    authors: str
    year: int
    title: str
    journal: str
    volume: str = ""
    issue: str = ""
    pages: str = ""
    doi: str = ""
    pmid: str = ""

    def __post_init__(self) -> None:
        if not (self.doi or self.pmid):
            raise ValueError(f"citation {self.key!r} needs a doi or a pmid")

    @property
    def first_author(self) -> str:
        """Surname of the first author, e.g. ``"Hoffman"``."""
        first = self.authors.split(";")[0].strip()
        parts = first.split(" ")
        if len(parts) > 1 and parts[-1].isupper() and parts[-1].isalpha():
            return " ".join(parts[:-1])  # drop the initials: "Hoeger Bement MK" -> "Hoeger Bement"
        return first

    @property
    def short(self) -> str:
        """In-text form: ``"Hoffman et al. 2004"``, ``"Koltyn & Umeda 2007"``."""
        names = [a.strip() for a in self.authors.split(";") if a.strip()]
        suffix = self.key[-1] if self.key[-1].isalpha() else ""  # vaegter2015b -> "2015b"
        if len(names) == 2 and "et al" not in names[1]:
            second = Citation._surname(names[1])
            return f"{self.first_author} & {second} {self.year}{suffix}"
        many = len(names) > 1
        return f"{self.first_author}{' et al.' if many else ''} {self.year}{suffix}"

    @staticmethod
    def _surname(name: str) -> str:
        parts = name.split(" ")
        if len(parts) > 1 and parts[-1].isupper() and parts[-1].isalpha():
            return " ".join(parts[:-1])
        return name

    @property
    def url(self) -> str:
        """A link that resolves the source: doi.org if there is a DOI, else PubMed."""
        if self.doi:
            return f"https://doi.org/{self.doi}"
        return f"https://pubmed.ncbi.nlm.nih.gov/{self.pmid}/"

    def reference(self) -> str:
        """The entry for a reference list (authors, year, title, journal, DOI/PMID)."""
        authors = ", ".join(a.strip() for a in self.authors.split(";"))
        where = self.journal
        if self.volume:
            where += f" {self.volume}"
            if self.issue:
                where += f"({self.issue})"
        if self.pages:
            where += f":{self.pages}"
        ids = []
        if self.doi:
            ids.append(f"doi:{self.doi}")
        if self.pmid:
            ids.append(f"PMID {self.pmid}")
        return f"{authors} ({self.year}). {self.title}. {where}. {'; '.join(ids)}."


@dataclass(frozen=True)
class Arm:
    """One measurement of one arm of a single-bout exercise study.

    Intensity is normalised to ``intensity_unit`` (% VO2max, % MVC or % 1RM); duration is
    minutes of exercise (total contraction time for isometric exercise). ``effect_size``
    and ``pct_change`` are positive for less pain and empty (``None``) when the source
    did not report them.
    """

    arm_id: str
    citation: Citation
    population: str
    n: int | None
    kind: str
    intensity_reported: str
    intensity: float | None
    intensity_unit: str
    intensity_basis: str
    duration_min: float | None
    to_failure: bool
    duration_reported: str
    pain_measure: str
    stimulus: str
    site: str
    site_reported: str
    minutes_after: float | None
    outcome: str
    effect_size: float | None
    effect_metric: str
    pct_change: float | None
    source_read: str
    notes: str
    #: Isometric arms: muscle group holding the contraction (``bouts.MUSCLES``;
    #: ``"pooled"`` when the source does not name it). Empty for other kinds.
    muscle: str = ""

    def describe(self) -> str:
        """One line for hover text and tables: study, dose, measure, outcome, DOI."""
        dose = self.intensity_reported or "intensity not reported"
        dur = self.duration_reported or (
            f"{self.duration_min:g} min" if self.duration_min is not None else "?"
        )
        when = "" if self.minutes_after is None else f", {self.minutes_after:g} min after"
        es = (
            ""
            if self.effect_size is None
            else f", {self.effect_metric or 'ES'} = {self.effect_size:+.2f}"
        )
        ident = f"doi:{self.citation.doi}" if self.citation.doi else f"PMID {self.citation.pmid}"
        return (
            f"{self.citation.short} ({self.population}, n={self.n if self.n else '?'}): "
            f"{self.kind.replace('_', ' ')} {dose}, {dur}; {self.stimulus} pain "
            f"{self.pain_measure} at {self.site} site{when} -> {self.outcome}{es}. {ident}"
        )


@dataclass(frozen=True)
class Pooled:
    """A meta-analytic estimate of acute exercise-induced hypoalgesia (95% CI)."""

    pooled_id: str
    citation: Citation
    population: str
    kind: str
    effect_size: float
    ci_low: float | None
    ci_high: float | None
    effect_metric: str
    k: int | None
    outcome_measure: str
    source_read: str
    notes: str


@dataclass(frozen=True)
class ConditionEffect:
    """Exercise programmes versus control on pain in one condition (positive = less pain)."""

    condition: str
    citation: Citation
    evidence_level: str
    comparison: str
    effect_size: float | None
    ci_low: float | None
    ci_high: float | None
    effect_metric: str
    scale: str
    timepoint: str
    k: int | None
    n: int | None
    certainty: str
    source_read: str
    notes: str


@dataclass(frozen=True)
class Finding:
    """A documented finding about programmes (K7-K12) or mechanisms (K13-K18)."""

    record_id: str
    claims: tuple[str, ...]
    topic: str
    citation: Citation
    design: str
    species: str
    population: str
    n: int | None
    finding: str
    value: float | None
    value_low: float | None
    value_high: float | None
    value_unit: str
    source_read: str
    notes: str

    def describe(self) -> str:
        """One line for tables and readouts: study, design, finding, value, DOI/PMID."""
        value = ""
        if self.value is not None:
            value = f" [{self.value:g}"
            if self.value_low is not None and self.value_high is not None:
                value += f" ({self.value_low:g} to {self.value_high:g})"
            value += f" {self.value_unit}]".rstrip()
            value = value.rstrip() + ("" if value.endswith("]") else "]")
        ident = f"doi:{self.citation.doi}" if self.citation.doi else f"PMID {self.citation.pmid}"
        who = f"{self.species}, n = {self.n}" if self.n else self.species
        return f"{self.citation.short} ({self.design}, {who}): {self.finding}{value} {ident}"


R = TypeVar("R")


class Records(tuple):
    """An immutable sequence of records with a table view and simple filters."""

    def to_frame(self):
        """The records as a :class:`pandas.DataFrame` (citations flattened to columns)."""
        import pandas as pd

        rows = []
        for rec in self:
            row = {}
            for f in fields(rec):
                value = getattr(rec, f.name)
                if isinstance(value, Citation):
                    row["study"] = value.short
                    row["citation_key"] = value.key
                    row["doi"] = value.doi
                    row["pmid"] = value.pmid
                elif isinstance(value, tuple):
                    row[f.name] = ";".join(value)
                else:
                    row[f.name] = value
            rows.append(row)
        return pd.DataFrame(rows)

    def where(self, **criteria: Any) -> Records:
        """Records whose fields equal the given values (``None`` criteria are ignored).

        A criterion may be a single value or a collection of allowed values.

        Raises
        ------
        ValueError
            For a name that is not a field of these records (with the valid fields).
        TypeError
            For a value that cannot be compared (a dict, an array).
        """
        valid = sorted({f.name for rec in self for f in fields(rec)})
        for name in criteria:
            if self and name not in valid:
                close = difflib.get_close_matches(name, valid, n=1)
                hint = f" Did you mean {close[0]!r}?" if close else ""
                raise ValueError(
                    f"where() takes the records' fields as criteria ({', '.join(valid)}); "
                    f"got {name!r}.{hint}"
                )
        out = self
        for name, want in criteria.items():
            if want is None:
                continue
            try:
                allowed = set(want) if isinstance(want, (list, tuple, set, frozenset)) else {want}
            except TypeError:
                raise TypeError(
                    f"{name} must be a value or a list of values to match; got "
                    f"{want!r:.60} ({type(want).__name__})"
                ) from None
            out = Records(r for r in out if getattr(r, name) in allowed)
        return out

    def describe(self, width: int = 96) -> str:
        """Every record's ``describe()`` line, wrapped to ``width``, one paragraph each.

        For readouts in lessons: ``print(pl.studies.mechanism_findings("gate_control").describe())``.
        """
        import textwrap

        return "\n\n".join(
            textwrap.fill(r.describe(), width, subsequent_indent="   ") for r in self
        )

    def citations(self) -> list[Citation]:
        """The distinct citations of these records, ordered by first author and year."""
        seen = {r.citation.key: r.citation for r in self}
        return sorted(seen.values(), key=lambda c: (c.first_author.lower(), c.year, c.key))


# --------------------------------------------------------------------------- parsing


class _Row:
    """Access to one CSV row that raises EvidenceError naming file, line and column."""

    def __init__(self, path: Path, line: int, raw: dict[str, str]):
        self.path, self.line, self.raw = path, line, raw

    def fail(self, column: str, message: str) -> EvidenceError:
        return EvidenceError(f"{self.path.name}, line {self.line}, column {column!r}: {message}")

    def text(self, column: str, required: bool = True) -> str:
        value = (self.raw.get(column) or "").strip()
        if required and not value:
            raise self.fail(column, "is empty but required")
        return value

    def choice(self, column: str, allowed: Iterable[str], required: bool = True) -> str:
        value = self.text(column, required)
        allowed = tuple(allowed)
        if value and value not in allowed:
            raise self.fail(column, f"{value!r} is not allowed; use one of {', '.join(allowed)}")
        return value

    def number(
        self,
        column: str,
        lo: float | None = None,
        hi: float | None = None,
        required: bool = False,
        unit: str = "",
    ) -> float | None:
        value = self.text(column, required)
        if not value:
            return None
        try:
            x = float(value)
        except ValueError:
            raise self.fail(column, f"{value!r} is not a number") from None
        if not math.isfinite(x):
            raise self.fail(column, f"{value!r} is not a finite number (no nan or inf)")
        if (lo is not None and x < lo) or (hi is not None and x > hi):
            rng = f"{lo if lo is not None else '-inf'} to {hi if hi is not None else 'inf'}"
            raise self.fail(
                column, f"{x:g} is outside the valid range {rng}{' ' + unit if unit else ''}"
            )
        return x

    def integer(
        self, column: str, lo: int = 0, required: bool = False, hi: int | None = None
    ) -> int | None:
        x = self.number(column, lo=lo, hi=hi, required=required)
        if x is None:
            return None
        if x != int(x):
            raise self.fail(column, f"{x:g} is not a whole number")
        return int(x)

    def boolean(self, column: str) -> bool:
        value = self.text(column, required=False).lower()
        if value in ("true", "yes", "1"):
            return True
        if value in ("false", "no", "0", ""):
            return False
        raise self.fail(column, f"{value!r} is not a boolean; use true or false")

    def citation(self, column: str, cites: dict[str, Citation]) -> Citation:
        key = self.text(column)
        if key not in cites:
            raise self.fail(
                column, f"citation key {key!r} is used but never defined in citations.csv"
            )
        return cites[key]


#: Longest cell accepted in an evidence file [characters].
MAX_CELL = 5000


def _decode(path: Path, raw: bytes) -> str:
    """The file's text: UTF-8, with or without a byte-order mark; else a located error."""
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        start = err.start
        line = raw[:start].count(b"\n") + 1
        col = start - (raw.rfind(b"\n", 0, start) + 1) + 1
        raise EvidenceError(
            f"{path.name}, line {line}, column {col} (byte {start}): byte "
            f"0x{raw[start]:02x} is not UTF-8. The file looks saved as Windows-1252 or "
            "Latin-1 (e.g. by Excel); save it as 'CSV UTF-8' instead"
        ) from None


def _read(path: Path, columns: tuple[str, ...]) -> list[_Row]:
    if not path.exists():
        raise EvidenceError(f"{path.name}: evidence file not found at {path}")
    text = _decode(path, path.read_bytes())
    reader = csv.DictReader(io.StringIO(text, newline=""))
    try:
        header = tuple(reader.fieldnames or ())
        seen: dict[str, int] = {}
        for i, name in enumerate(header, 1):
            folded = name.strip().casefold()
            if folded in seen:
                raise EvidenceError(
                    f"{path.name}, line 1, column {i}: header {name!r} repeats column "
                    f"{seen[folded]}; each column may appear once"
                )
            seen[folded] = i
        missing = [c for c in columns if c not in header]
        if missing:
            raise EvidenceError(f"{path.name}, line 1: missing column(s) {', '.join(missing)}")
        rows = []
        done = reader.line_num  # last line read whole; csv errors happen on the next one
        for raw in reader:
            done = reader.line_num
            if None in raw:
                raise EvidenceError(
                    f"{path.name}, line {reader.line_num}: more cells than header columns"
                )
            for column, value in raw.items():
                if value is not None and len(value) > MAX_CELL:
                    raise EvidenceError(
                        f"{path.name}, line {reader.line_num}, column {column!r}: cell of "
                        f"{len(value):,} characters, above the limit of {MAX_CELL:,}"
                    )
            if not any((v or "").strip() for v in raw.values()):
                continue
            rows.append(_Row(path, reader.line_num, raw))
    except csv.Error as err:
        raise EvidenceError(
            f"{path.name}, line {done + 1}: not valid CSV ({err}); cells may hold at most "
            f"{MAX_CELL:,} characters"
        ) from None
    if not rows:
        raise EvidenceError(f"{path.name}: has a header but no data rows")
    return rows


def _unique(rows: list[_Row], column: str, values: list[str]) -> None:
    seen: dict[str, int] = {}
    for row, value in zip(rows, values, strict=True):
        if value in seen:
            raise row.fail(column, f"duplicate {value!r} (first on line {seen[value]})")
        seen[value] = row.line


def _col(cls: type) -> tuple[str, ...]:
    names = []
    for f in fields(cls):
        names.append(
            "citation_key" if f.name == "citation" else ("claim" if f.name == "claims" else f.name)
        )
    return tuple(names)


def _load_citations(path: Path) -> dict[str, Citation]:
    rows = _read(path, tuple(f.name for f in fields(Citation)))
    cites: dict[str, Citation] = {}
    for row in rows:
        key = row.text("key")
        if not _KEY.match(key):
            raise row.fail("key", f"{key!r} is not of the form firstauthorYYYY (lower case)")
        doi, pmid = row.text("doi", False), row.text("pmid", False)
        if doi and not _DOI.match(doi):
            raise row.fail(
                "doi",
                f"{doi!r} is not a DOI (10.NNNN/... in printable ASCII, no URL prefix, no "
                "invisible characters)",
            )
        if pmid and not _PMID.match(pmid):
            raise row.fail("pmid", f"{pmid!r} is not a PubMed id (digits only)")
        if not (doi or pmid):
            raise row.fail("doi", "every citation needs a doi or a pmid")
        if key in cites:
            raise row.fail("key", f"duplicate citation key {key!r}")
        year = row.integer("year", lo=1900, hi=_dt.date.today().year, required=True)
        cites[key] = Citation(
            key=key,
            authors=row.text("authors"),
            year=year,  # type: ignore[arg-type]
            title=row.text("title"),
            journal=row.text("journal"),
            volume=row.text("volume", False),
            issue=row.text("issue", False),
            pages=row.text("pages", False),
            doi=doi,
            pmid=pmid,
        )
    # DOIs are case-insensitive: 10.1/ABC and 10.1/abc are one paper
    _unique(rows, "doi", [(c.doi or f"<none:{c.key}>").casefold() for c in cites.values()])
    return cites


_UNIT_RANGE = {"pct_vo2max": 100.0, "pct_mvc": 100.0, "pct_1rm": 100.0}


def _parse_arm(row: _Row, cites: dict[str, Citation]) -> Arm:
    kind = row.choice("kind", KINDS)
    unit = row.choice("intensity_unit", KINDS.values())
    if unit != KINDS[kind]:
        raise row.fail(
            "intensity_unit", f"{unit!r} does not fit kind {kind!r}; use {KINDS[kind]!r}"
        )
    return Arm(
        arm_id=row.text("arm_id"),
        citation=row.citation("citation_key", cites),
        population=row.choice("population", POPULATIONS),
        n=row.integer("n", lo=1),
        kind=kind,
        intensity_reported=row.text("intensity_reported", False),
        intensity=row.number("intensity", 0, _UNIT_RANGE[unit], unit=unit),
        intensity_unit=unit,
        intensity_basis=row.text("intensity_basis", False),
        duration_min=row.number("duration_min", 0, 600, unit="min"),
        to_failure=row.boolean("to_failure"),
        duration_reported=row.text("duration_reported", False),
        pain_measure=row.choice("pain_measure", PAIN_MEASURES),
        stimulus=row.choice("stimulus", STIMULI, required=False),
        site=row.choice("site", SITES, required=False),
        site_reported=row.text("site_reported", False),
        minutes_after=row.number("minutes_after", -60, 24 * 60, unit="min"),
        outcome=row.choice("outcome", OUTCOMES),
        effect_size=row.number("effect_size", -10, 10),
        effect_metric=row.choice("effect_metric", ("d", "dz", "g", "smd", "r"), required=False),
        pct_change=row.number("pct_change", -1000, 1000, unit="%"),
        source_read=row.choice("source_read", SOURCE_READ),
        notes=row.text("notes", False),
        muscle=_muscle(row, kind),
    )


def _muscle(row: _Row, kind: str) -> str:
    from painlab.bouts import MUSCLES

    if kind != "isometric":
        if row.text("muscle", False):
            raise row.fail("muscle", "muscle is for isometric arms only; leave it empty")
        return ""
    return row.choice("muscle", MUSCLES)


def _parse_pooled(row: _Row, cites: dict[str, Citation]) -> Pooled:
    es = row.number("effect_size", -10, 10, required=True)
    lo, hi = row.number("ci_low", -10, 10), row.number("ci_high", -10, 10)
    if lo is not None and hi is not None and not lo <= es <= hi:  # type: ignore[operator]
        raise row.fail("effect_size", f"{es:g} lies outside its own CI [{lo:g}, {hi:g}]")
    return Pooled(
        pooled_id=row.text("pooled_id"),
        citation=row.citation("citation_key", cites),
        population=row.choice("population", ("chronic_pain", *POPULATIONS)),
        kind=row.choice("kind", (*KINDS, "any")),
        effect_size=es,  # type: ignore[arg-type]
        ci_low=lo,
        ci_high=hi,
        effect_metric=row.choice("effect_metric", ("d", "g", "smd")),
        k=row.integer("k", lo=1),
        outcome_measure=row.text("outcome_measure", False),
        source_read=row.choice("source_read", SOURCE_READ),
        notes=row.text("notes", False),
    )


def _parse_condition(row: _Row, cites: dict[str, Citation]) -> ConditionEffect:
    level = row.choice("evidence_level", ("meta_analysis", "trial", "review_no_pooled_estimate"))
    es = row.number("effect_size", -100, 100)
    lo, hi = row.number("ci_low", -100, 100), row.number("ci_high", -100, 100)
    if es is not None and lo is not None and hi is not None and not lo <= es <= hi:
        raise row.fail("effect_size", f"{es:g} lies outside its own CI [{lo:g}, {hi:g}]")
    return ConditionEffect(
        condition=row.choice("condition", CONDITIONS),
        citation=row.citation("citation_key", cites),
        evidence_level=level,
        comparison=row.text("comparison"),
        effect_size=es,
        ci_low=lo,
        ci_high=hi,
        effect_metric=row.choice("effect_metric", ("smd", "md"), required=es is not None),
        scale=row.text("scale", False),
        timepoint=row.text("timepoint", False),
        k=row.integer("k", lo=1),
        n=row.integer("n", lo=1),
        certainty=row.choice("certainty", ("high", "moderate", "low", "very_low"), required=False),
        source_read=row.choice("source_read", SOURCE_READ),
        notes=row.text("notes", False),
    )


def _finding_parser(topics: tuple[str, ...]) -> Callable[[_Row, dict[str, Citation]], Finding]:
    def parse(row: _Row, cites: dict[str, Citation]) -> Finding:
        claims = tuple(c.strip() for c in row.text("claim").split(";") if c.strip())
        for c in claims:
            if not _CLAIM.match(c):
                raise row.fail("claim", f"{c!r} is not a key point id K0-K18")
        return Finding(
            record_id=row.text("record_id"),
            claims=claims,
            topic=row.choice("topic", topics),
            citation=row.citation("citation_key", cites),
            design=row.choice("design", DESIGNS),
            species=row.text("species"),
            population=row.text("population", False),
            n=row.integer("n", lo=1),
            finding=row.text("finding"),
            value=row.number("value"),
            value_low=row.number("value_low"),
            value_high=row.number("value_high"),
            value_unit=row.text("value_unit", False),
            source_read=row.choice("source_read", SOURCE_READ),
            notes=row.text("notes", False),
        )

    return parse


def _load(
    path: Path,
    cls: type[R],
    parse: Callable[[_Row, dict[str, Citation]], R],
    id_col: str | None,
    cites,
) -> Records:
    rows = _read(path, _col(cls))
    records = [parse(row, cites) for row in rows]
    if id_col is not None:
        _unique(rows, id_col, [str(getattr(r, id_col)) for r in records])
    return Records(records)


def _check_arms(rows: list[_Row], records: Records) -> None:
    """An arm id names one arm: the same citation, population, kind and dose on every row."""
    first: dict[str, tuple[Arm, int]] = {}
    measured: dict[tuple, int] = {}
    for row, rec in zip(rows, records, strict=True):
        seen, line = first.setdefault(rec.arm_id, (rec, row.line))
        same = (seen.citation.key, seen.population, seen.kind, seen.intensity, seen.duration_min)
        this = (rec.citation.key, rec.population, rec.kind, rec.intensity, rec.duration_min)
        if same != this:
            raise row.fail(
                "arm_id",
                f"{rec.arm_id!r} was first used on line {line} for a different citation, "
                "population, kind or dose; give each arm its own id",
            )
        key = (
            rec.arm_id,
            rec.site,
            rec.minutes_after,
            rec.pain_measure,
            rec.stimulus,
            rec.site_reported,
        )
        if key in measured:
            raise row.fail(
                "arm_id",
                f"duplicate measurement row for arm {rec.arm_id!r} (first on line {measured[key]})",
            )
        measured[key] = row.line


@dataclass(frozen=True)
class _Evidence:
    citations: dict[str, Citation]
    arms: Records
    pooled: Records
    conditions: Records
    program: Records
    mechanism: Records


@functools.lru_cache(maxsize=8)
def load(data_dir: str | Path | None = None) -> _Evidence:
    """Load and validate every evidence file in ``data_dir`` (default: the package data).

    Raises
    ------
    EvidenceError
        Naming the file, line and column of the first invalid value.
    """
    d = Path(data_dir) if data_dir is not None else DATA_DIR
    cites = _load_citations(d / "citations.csv")
    arm_rows = _read(d / "acute_arms.csv", _col(Arm))
    arm_recs = Records(_parse_arm(row, cites) for row in arm_rows)
    _check_arms(arm_rows, arm_recs)
    ev = _Evidence(
        citations=cites,
        arms=arm_recs,
        pooled=_load(d / "pooled.csv", Pooled, _parse_pooled, "pooled_id", cites),
        conditions=_load(
            d / "condition_effects.csv", ConditionEffect, _parse_condition, None, cites
        ),
        program=_load(
            d / "program_evidence.csv", Finding, _finding_parser(PROGRAM_TOPICS), "record_id", cites
        ),
        mechanism=_load(
            d / "mechanism_evidence.csv",
            Finding,
            _finding_parser(MECHANISM_TOPICS),
            "record_id",
            cites,
        ),
    )
    return ev


# --------------------------------------------------------------------------- public API


def citations() -> dict[str, Citation]:
    """Every citation, keyed by its ``key`` (e.g. ``"hoffman2004"``)."""
    return dict(load().citations)


def cite(key: str) -> Citation:
    """The citation with this key; the error lists close matches."""
    cites = load().citations
    if key not in cites:
        import difflib

        close = difflib.get_close_matches(key, cites, n=3)
        raise KeyError(
            f"no citation {key!r}" + (f"; did you mean {', '.join(close)}?" if close else "")
        )
    return cites[key]


def arms(
    kind: str | None = None,
    population: str | None = None,
    site: str | None = None,
    outcome: str | None = None,
    citation: str | None = None,
) -> Records:
    """Documented single-bout study arms (one record per measurement).

    Parameters
    ----------
    kind : {"aerobic", "isometric", "dynamic_resistance"}, optional
    population : str, optional
        One of :data:`POPULATIONS`.
    site : {"exercising", "contralateral", "distant"}, optional
    outcome : {"hypoalgesia", "none", "hyperalgesia"}, optional
    citation : str, optional
        A citation key, e.g. ``"hoffman2004"``: only that study's arms.

    Returns
    -------
    Records
        Of :class:`Arm`; ``.to_frame()`` gives a DataFrame.
    """
    _check_choice("kind", kind, KINDS)
    _check_choice("population", population, POPULATIONS)
    _check_choice("site", site, SITES)
    _check_choice("outcome", outcome, OUTCOMES)
    if citation is not None:
        cite(citation)  # raises KeyError with close matches
    recs = load().arms.where(kind=kind, population=population, site=site, outcome=outcome)
    return Records(r for r in recs if citation is None or r.citation.key == citation)


def arm(arm_id: str) -> Arm:
    """One study arm by its id (its first measurement row), e.g.
    ``arm("hoegerbement2008-25pct-2min")``; a ``KeyError`` names close ids."""
    for a in load().arms:
        if a.arm_id == arm_id:
            return a
    ids = sorted({a.arm_id for a in load().arms})
    close = difflib.get_close_matches(str(arm_id), ids, n=3)
    hint = f" Did you mean {', '.join(map(repr, close))}?" if close else ""
    raise KeyError(f"no study arm {arm_id!r} in acute_arms.csv.{hint}")


def pooled(kind: str | None = None, population: str | None = None) -> Records:
    """Meta-analytic effect sizes of acute exercise (:class:`Pooled`), 95% CIs."""
    _check_choice("kind", kind, (*KINDS, "any"))
    _check_choice("population", population, ("chronic_pain", *POPULATIONS))
    return load().pooled.where(kind=kind, population=population)


def condition_effects(condition: str | None = None) -> Records:
    """Exercise-versus-control estimates by condition (:class:`ConditionEffect`), K6."""
    _check_choice("condition", condition, CONDITIONS)
    return load().conditions.where(condition=condition)


def program_findings(topic: str | None = None, claim: str | None = None) -> Records:
    """Programme evidence (:class:`Finding`): supervision, adherence, early response..."""
    _check_choice("topic", topic, PROGRAM_TOPICS)
    _check_claim(claim)
    recs = load().program.where(topic=topic)
    return Records(r for r in recs if claim is None or claim in r.claims)


def mechanism_findings(topic: str | None = None, claim: str | None = None) -> Records:
    """Mechanism evidence (:class:`Finding`): β-endorphin, cross-tolerance, gate control..."""
    _check_choice("topic", topic, MECHANISM_TOPICS)
    _check_claim(claim)
    recs = load().mechanism.where(topic=topic)
    return Records(r for r in recs if claim is None or claim in r.claims)


def _check_claim(claim: str | None) -> None:
    """A claim id of CLAIMS.md, ``"K0"`` to ``"K18"``, or None."""
    if claim is None:
        return
    if not isinstance(claim, str):
        raise TypeError(f"claim must be a claim id such as 'K8' (text) or None; got {claim!r}")
    if not _CLAIM.match(claim):
        hint = (
            f" Did you mean {claim.strip().upper()!r}?"
            if _CLAIM.match(claim.strip().upper())
            else ""
        )
        raise ValueError(
            f"claim must be a claim id K0 to K18 (see CLAIMS.md); got {claim!r}.{hint}"
        )


def _check_choice(name: str, value: str | None, allowed: Iterable[str]) -> None:
    allowed = tuple(allowed)
    if value is not None and not isinstance(value, str):
        raise TypeError(f"{name} must be text, one of {', '.join(allowed)}; got {value!r}")
    if value is not None and value not in allowed:
        raise ValueError(f"{name} must be one of {', '.join(allowed)}; got {value!r}")
