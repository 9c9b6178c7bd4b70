"""Compact, readable text tables of the evidence and the model for the lessons.

A lesson cell should read like one sentence: ``pl.tables.arms(kind="aerobic")`` prints the
study arms as a table at most :data:`WIDTH` characters wide, long cells wrapped inside their
column, missing values written as "not reported", counts as whole numbers. The helpers
return a :class:`Table` (or :class:`Text`), whose plain-text form is what a notebook shows
and what the lesson tests compare.

Sign convention, as everywhere in painlab: a positive effect means **less pain**.
"""

from __future__ import annotations

import math
import textwrap
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

__all__ = [
    "WIDTH",
    "Table",
    "Text",
    "adherence",
    "agreement",
    "arms",
    "beyond_sensitivity",
    "conditions",
    "cross_tolerance",
    "designs",
    "doses",
    "early_response",
    "endurance",
    "engagement",
    "fatigue",
    "findings",
    "parameters",
    "pooled",
    "populations",
    "programme_parameters",
    "programmes",
    "repeated_measures",
    "schedule",
    "several_sites",
    "site_factors",
    "sites",
    "table",
    "text",
    "thresholds",
    "time_course",
]

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


def _dose(row: dict) -> str:
    if row.get("intensity") is None or (
        isinstance(row.get("intensity"), float) and math.isnan(row["intensity"])
    ):
        return _cell(row.get("intensity_reported"))
    unit = {"pct_vo2max": "% VO2max", "pct_mvc": "% MVC", "pct_1rm": "% 1RM"}.get(
        str(row.get("intensity_unit")), ""
    )
    minutes = row.get("duration_min")
    if row.get("to_failure"):
        length = "to failure"
    elif minutes is None or (isinstance(minutes, float) and math.isnan(minutes)):
        length = _cell(row.get("duration_reported"))
        length = "duration not reported" if length == MISSING else length
    else:
        length = f"{_cell(float(minutes))} min"
    return f"{_cell(float(row['intensity']))}{unit}, {length}"


def arms(
    *,
    kind: str | None = None,
    population: str | Iterable[str] | None = None,
    site: str | None = None,
    studies: Iterable[str] | None = None,
    placed: bool = False,
    columns: Sequence[str] = ("study", "n", "dose", "site", "measure", "when", "outcome"),
) -> Table:
    """The single-bout study arms as a compact table (one row per arm, site and measure).

    Parameters
    ----------
    kind, population, site : str, optional
        Filters, as in :func:`painlab.studies.arms`.
    studies : iterable of str, optional
        Only these citation keys, e.g. ``["johnsen2023"]``.
    placed : bool
        Only arms whose intensity and duration are known (the markers on a dose map).
    columns : sequence of str
        Any of ``study, n, dose, site, measure, when, outcome, change, population``.
    """
    from painlab import studies as st

    one = population if isinstance(population, str) else None
    kwargs = {k: v for k, v in (("kind", kind), ("population", one), ("site", site)) if v}
    frame = st.arms(**kwargs).to_frame()
    if population is not None and not isinstance(population, str):
        frame = frame[frame.population.isin(list(population))]
    if studies is not None:
        frame = frame[frame.citation_key.isin(list(studies))]
    rows = []
    for r in frame.to_dict("records"):
        if placed and (_cell(r["intensity"]) == MISSING or _cell(r["duration_min"]) == MISSING):
            continue
        measure = " ".join(
            x for x in (_cell(r["stimulus"]), _cell(r["pain_measure"])) if x != MISSING
        )
        when = r["minutes_after"]
        rows.append(
            {
                "study": r["study"],
                "n": r["n"],
                "dose": _dose(r),
                "site": r["site_reported"] or r["site"],
                "measure": measure.replace("_", " ") or MISSING,
                "when": MISSING if _cell(when) == MISSING else f"{_cell(float(when))} min after",
                "outcome": r["outcome"],
                "change": MISSING
                if _cell(r["pct_change"]) == MISSING
                else f"{float(r['pct_change']):+.1f}%",
                "population": r["population"].replace("_", " "),
            }
        )
    seen: set[tuple] = set()
    unique = []
    for row in rows:  # rows that differ only in hidden columns would look duplicated
        key = tuple(_cell(row[c]) for c in columns)
        if key not in seen:
            seen.add(key)
            unique.append(row)
    return table(unique, list(columns))


def agreement(
    *,
    kind: str | None = None,
    population: str | Iterable[str] | None = None,
    columns: Sequence[str] = (
        "study",
        "dose",
        "site",
        "n",
        "documented",
        "predicted",
        "agrees",
        "consistent",
        "reason",
    ),
) -> Table:
    """The model against every placed study arm: what each found, what the model says.

    ``agrees`` says whether the study's conclusion and the model's match; ``fits`` whether
    the study's result is still plausible for a study of its size if the model is right.
    """
    import painlab as pl

    t = pl.agreement_table()
    if kind:
        t = t[t.kind == kind]
    if isinstance(population, str):
        t = t[t.population == population]
    elif population is not None:
        t = t[t.population.isin(list(population))]
    t = t.assign(
        reason=[r if isinstance(r, str) and r.strip() else "-" for r in t.reason],
        dose=[d.split(" ", 1)[1] if kind and " " in d else d for d in t.dose],
    )
    headers = {
        "study": "study",
        "population": "population",
        "dose": "dose",
        "site": "site",
        "n": "n",
        "documented": "study found",
        "predicted": "model",
        "predicted_d": "model d",
        "agrees": "agree",
        "consistent": "fits",
        "reason": "why they differ",
    }
    t = t.assign(population=[x.replace("_", " ") for x in t.population])
    out = table(t, {c: headers[c] for c in columns})
    agree, fits = int(t.agrees.sum()), int(t.consistent.sum())
    return Table(
        out.headers,
        out.rows,
        f"{agree} of {len(t)} comparisons agree with the model; {fits} fit it once study "
        "size is allowed for.",
    )


def pooled(*, kind: str | None = None) -> Table:
    """Pooled estimates (meta-analyses) of single-bout EIH: effect, 95% CI, studies pooled."""
    from painlab import studies as st

    f = st.pooled().to_frame()
    if kind:
        f = f[f.kind == kind]
    rows = [
        {
            "study": r["study"],
            "who": r["population"].replace("_", " "),
            "kind": r["kind"].replace("dynamic_resistance", "resistance"),
            "effect": f"{r['effect_metric']} = {_cell(r['effect_size'])}",
            "ci": MISSING
            if _cell(r["ci_low"]) == MISSING
            else f"{_cell(r['ci_low'])} to {_cell(r['ci_high'])}",
            "k": r["k"],
        }
        for r in f.to_dict("records")
    ]
    return table(
        rows,
        {
            "study": "study",
            "who": "population",
            "kind": "exercise",
            "effect": "effect (+ = less pain)",
            "ci": "95% CI",
            "k": "studies",
        },
    )


def conditions() -> Table:
    """Exercise programmes against control, one row per condition and review."""
    from painlab import studies as st

    f = st.condition_effects().to_frame()
    rows = [
        {
            "condition": r["condition"].replace("_", " "),
            "study": r["study"],
            "effect": f"{r['effect_metric']} {_cell(r['effect_size'])}"
            + (
                ""
                if _cell(r["scale"]) == MISSING or r["scale"].lower() == r["effect_metric"].lower()
                else f" ({r['scale']})"
            ),
            "ci": MISSING
            if _cell(r["ci_low"]) == MISSING
            else f"{_cell(r['ci_low'])} to {_cell(r['ci_high'])}",
            "k": r["k"],
        }
        for r in f.to_dict("records")
    ]
    helped = sorted(
        {
            r["condition"].replace("_", " ")
            for r in f.to_dict("records")
            if _cell(r["ci_low"]) != MISSING and float(r["ci_low"]) > 0
        }
    )
    out = table(
        rows,
        {
            "condition": "condition",
            "study": "review or trial",
            "effect": "effect (+ = less pain)",
            "ci": "95% CI",
            "k": "trials",
        },
    )
    title = (
        f"Conditions with an estimate whose whole 95% CI favours exercise: {len(helped)} "
        f"({', '.join(helped)})."
    )
    return Table(out.headers, out.rows, title)


def findings(
    *, topic: str | None = None, claim: str | None = None, source: str = "programs"
) -> Text:
    """The findings on one topic or key point, one short paragraph per study.

    Parameters
    ----------
    topic, claim : str, optional
        As in :func:`painlab.studies.program_findings` / ``mechanism_findings``.
    source : {"programs", "mechanisms"}
    """
    from painlab import studies as st

    if source not in ("programs", "mechanisms"):
        raise ValueError(f"source must be 'programs' or 'mechanisms'; got {source!r}")
    get = st.program_findings if source == "programs" else st.mechanism_findings
    kwargs = {k: v for k, v in (("topic", topic), ("claim", claim)) if v}
    lines: list[str] = []
    for f in get(**kwargs):
        lines += [f"{f.citation.short} ({f.design}): {f.finding}", ""]
    return Text(tuple(lines[:-1]))


def parameters(*keys: tuple[str, str]) -> Text:
    """Model parameters with unit, basis and sources, e.g. ``("aerobic", "I50")``."""
    from painlab import hypoalgesia
    from painlab import studies as st

    lines = []
    for key in keys:
        p = hypoalgesia.PARAMETERS[key]
        refs = ", ".join(st.cite(k).short for k in p.references)
        head = f"{key[0]} {key[1]} = {p.value:g} {p.unit}"
        low, high = getattr(p, "low", None), getattr(p, "high", None)
        if low is not None and high is not None and (low, high) != (p.value, p.value):
            head += f" (plausible {low:g} to {high:g})"
        if getattr(p, "status", ""):
            head += f"; {p.status}"
        lines += [head, f"  basis: {p.basis}"]
        if refs:
            lines.append(f"  sources: {refs}")
    return Text(tuple(lines))


def doses(bouts: Iterable[Any], population: str = "healthy", reasons: bool = True) -> Text:
    """What the model predicts for each bout, with the conditions it meets or misses.

    Each item is a :class:`painlab.Bout` or the id of a study arm in the evidence (e.g.
    ``"hoegerbement2008-25pct-2min"``): a study's dose is then taken from the evidence,
    muscle group included, never typed again by hand.
    """
    import painlab as pl

    lines: list[str] = []
    for item in bouts:
        bout = _study_bout(item) if isinstance(item, str) else item
        r = pl.predict(bout, population=population)
        lines.append(r.summary())
        if reasons:
            lines += [f"   {reason}" for reason in r.reasons]
        lines.append("")
    return Text(tuple(lines[:-1]))


def _study_bout(arm_id: str) -> Any:
    from painlab import hypoalgesia, studies

    bout = hypoalgesia.arm_bout(studies.arm(arm_id))
    if bout is None:
        raise ValueError(f"study arm {arm_id!r} has no dose the model can place")
    return bout


def thresholds(kind: str, intensity: float) -> Text:
    """Where the model's two switches sit for `kind`: the lowest intensity at which some
    duration eases pain, and the shortest bout that does at `intensity`."""
    from painlab import hypoalgesia
    from painlab.bouts import UNITS

    unit = UNITS[kind]
    lowest = hypoalgesia.lowest_intensity(kind)
    shortest = hypoalgesia.needed_minutes(kind, intensity)
    return Text(
        (
            f"Lowest intensity at which some duration works: about {lowest:.0f}{unit}",
            f"Shortest bout that works at {intensity:g}{unit}: about {shortest:.1f} min",
        )
    )


def endurance(intensities: Iterable[float] = (25, 50, 80), muscle: str = "grip") -> Text:
    """The endurance-time curves (Frey-Law & Avin 2010), and for one muscle group how long a
    hold can last against how long the model needs for hypoalgesia (d >= 0.2)."""
    from painlab import hypoalgesia
    from painlab.bouts import ENDURANCE_CURVES, endurance_time

    curves = Table(
        ("muscle group", "endurance time (s), f = fraction of MVC", "at 25% MVC"),
        tuple(
            (c.label, f"{c.b0:.2f} x f ^ ({c.b1:g})", f"{endurance_time(25, m):.1f} min")
            for m, c in ENDURANCE_CURVES.items()
        ),
        "Endurance-time curves (Frey-Law & Avin 2010):",
    )
    rows = []
    for mvc in intensities:
        et = endurance_time(mvc, muscle)
        need = hypoalgesia.needed_minutes("isometric", mvc, muscle)
        rows.append(
            (
                f"{mvc:g}% MVC",
                f"{et:.2f} min ({et * 60:.0f} s)",
                f"{need:.2f} min ({need * 60:.0f} s)",
                f"{need / et:.0%}",
            )
        )
    label = ENDURANCE_CURVES[muscle].label
    needed = Table(
        ("hold", "can last", "needed for d >= 0.2", "share of endurance time"),
        tuple(rows),
        f"{label}: how long a hold can last, and how long the model needs:",
    )
    return Text((str(curves), "", str(needed)))


def fatigue(intensities: Iterable[float] = (25, 50, 80)) -> Text:
    """For each hold intensity, the share of the endurance time at which the model starts
    to show hypoalgesia, and its effect after half, three quarters and all of it."""
    import painlab as pl
    from painlab import hypoalgesia
    from painlab.bouts import endurance_time

    lines = []
    for mvc in intensities:
        et = endurance_time(mvc)
        start = hypoalgesia.needed_minutes("isometric", mvc) / et
        lines.append(
            f"{mvc:g}% MVC (fails at {et:.2f} min): hypoalgesia from {start:.0%} of the "
            "endurance time"
        )
        for share in (0.5, 0.75, 1.0):
            r = pl.predict(pl.Bout("isometric", mvc, duration=share * et))
            lines.append(
                f"    held {share:>4.0%} ({r.bout.minutes:.2f} min): d = {r.effect_size:+.2f}, "
                f"{r.outcome}"
            )
    return Text(tuple(lines))


def sites(bouts: Iterable[Any], population: str = "healthy") -> Table:
    """The model's effect (d, + = less pain) at the three body sites for each bout."""
    import painlab as pl

    rows = []
    for bout in bouts:
        r = pl.predict(bout, population=population)
        rows.append(
            (
                bout.label,
                f"{r.at('exercising'):+.2f}",
                f"{r.at('contralateral'):+.2f}",
                f"{r.at('distant'):+.2f}",
            )
        )
    return Table(("bout", "exercising", "opposite", "distant"), tuple(rows))


def several_sites(population: str = "healthy") -> Table:
    """Study arms that measured pressure pain thresholds at the exercising limb *and* at
    another site in the same people, and found relief at the exercising limb."""
    from painlab import studies as st

    f = st.arms(population=population).to_frame()
    f = f[(f.site.fillna("") != "") & (f.pain_measure == "threshold")]
    n_sites = f.groupby("arm_id").site.nunique()
    worked = set(f[(f.site == "exercising") & (f.outcome == "hypoalgesia")].arm_id)
    keep = [a for a in dict.fromkeys(f.arm_id) if n_sites[a] > 1 and a in worked]
    f = f[f.arm_id.isin(keep)]
    rows = [
        {
            "study": r["study"],
            "kind": r["kind"].replace("dynamic_resistance", "resistance"),
            "site": r["site"],
            "where": r["site_reported"],
            "when": MISSING
            if _cell(r["minutes_after"]) == MISSING
            else f"{_cell(float(r['minutes_after']))} min after",
            "outcome": r["outcome"],
        }
        for r in f.to_dict("records")
    ]
    return table(rows, ["study", "kind", "site", "where", "when", "outcome"])


def site_factors() -> Text:
    """The model's contralateral and distant factors, with their basis and sources."""
    from painlab import hypoalgesia
    from painlab import studies as st

    lines = []
    for site in ("contralateral", "distant"):
        p = hypoalgesia.PARAMETERS[("site", site)]
        sources = ", ".join(st.cite(k).short for k in p.references)
        lines += [
            f"{site} factor = {p.value:g} x the exercising-limb effect ({sources})",
            f"    basis: {p.basis}",
        ]
    return Text(tuple(lines))


def time_course(
    bouts: Iterable[Any], minutes: Sequence[float] = (0, 5, 10, 15, 30), population: str = "healthy"
) -> Text:
    """The model's effect at the exercising limb some minutes after each bout."""
    import painlab as pl
    from painlab.hypoalgesia import HYPOALGESIA_THRESHOLD

    lines: list[str] = []
    threshold = f"{HYPOALGESIA_THRESHOLD:g}"
    for bout in bouts:
        r = pl.predict(bout, population=population)
        lines.append(bout.label)
        for m in minutes:
            d = r.after(m)
            label = "hypoalgesia" if d >= HYPOALGESIA_THRESHOLD else f"below d = {threshold}"
            lines.append(f"    {m:>2g} min after: d = {d:+.2f} ({label})")
        lines += [f"    stays at d >= {threshold} for about {r.lasts():.0f} min", ""]
    return Text(tuple(lines[:-1]))


def repeated_measures(population: str = "healthy") -> Table:
    """Study arms that measured the same pain test at several times after the bout and
    found relief at least once: how long did it last?"""
    from painlab import studies as st

    f = st.arms(population=population).to_frame()
    f = f[f.minutes_after.notna()]
    keys = ["arm_id", "site", "pain_measure", "stimulus"]
    f = f.fillna({"site": "", "stimulus": "", "pain_measure": ""})
    times = f.groupby(keys).minutes_after.transform("nunique")
    f = f[times > 1]
    relieved = set(f[f.outcome == "hypoalgesia"].arm_id)
    f = f[f.arm_id.isin(relieved)]
    rows = [
        {
            "study": r["study"],
            "kind": r["kind"].replace("dynamic_resistance", "resistance"),
            "dose": r["intensity_reported"],
            "measure": f"{r['stimulus']} {r['pain_measure']}".strip().replace("_", " "),
            "when": f"{_cell(float(r['minutes_after']))} min after",
            "outcome": r["outcome"],
        }
        for r in f.to_dict("records")
    ]
    return table(rows, ["study", "kind", "dose", "measure", "when", "outcome"])


def schedule(bout: Any, plans: dict[str, float | None], population: str = "healthy") -> Table:
    """Whether a painful task `minutes` after `bout` falls inside the window of relief."""
    import painlab as pl
    from painlab.hypoalgesia import HYPOALGESIA_THRESHOLD

    r = pl.predict(bout, population=population)
    rows = []
    for plan, minutes in plans.items():
        if minutes is None:
            rows.append((plan, "no exercise yet", "no EIH"))
            continue
        d = r.after(minutes)
        inside = "inside the window" if d >= HYPOALGESIA_THRESHOLD else "window closed"
        rows.append((plan, f"d = {d:+.2f}", inside))
    return Table(("plan", "effect at the exercising limb", "verdict"), tuple(rows))


def populations(bouts: dict[str, Any]) -> Table:
    """The model's effect (d, + = less pain) and outcome for each bout in every population."""
    import painlab as pl

    rows = []
    for population in pl.POPULATIONS:
        cells = [population.replace("_", " ")]
        for bout in bouts.values():
            r = pl.predict(bout, population)
            cells.append(f"{r.effect_size:+.2f} {r.outcome}")
        rows.append(tuple(cells))
    return Table(("population", *bouts), tuple(rows))


# -- programmes (lesson 07): benefit = less pain than at the start, so positive = less pain --


def early_response(result: Any) -> Text:
    """Does week 1 predict week 12? For a simulated cohort, in benefit (+ = less pain)."""
    worse_first = result.early_change > 0  # pain above baseline in week 1
    benefit = -result.late_change  # + = less pain than at the start by the last week
    weeks = result.program.weeks
    return Text(
        (
            f"{result.program.label}, {result.n_patients} simulated patients.",
            f"Benefit = less pain than at the start, in {result.unit} (+ = less pain).",
            f"Week-1 change vs week-{weeks} change, across patients: r = {result.early_late_r:.2f}",
            f"Pain higher than at the start in week 1: {int(worse_first.sum())} of "
            f"{result.n_patients} patients",
            f"  ... of whom had less pain than at the start by week {weeks}: "
            f"{int((benefit[worse_first] > 0).sum())}",
            f"Mean benefit by week {weeks} if pain went UP in week 1:   "
            f"{benefit[worse_first].mean():+.1f}",
            f"Mean benefit by week {weeks} if pain went DOWN in week 1: "
            f"{benefit[~worse_first].mean():+.1f}",
        )
    )


def adherence(result: Any, weeks: Sequence[int] = (1, 12, 26, 52)) -> Table:
    """Sessions done and benefit (+ = less pain) at chosen weeks of a simulated programme."""
    share = result.mean_adherence()
    rows = tuple(
        (
            str(w),
            f"{share[w - 1]:.0%}",
            f"{result.sessions[:, w].mean():.1f}",
            f"{result.mean_benefit(w):+.1f}",
        )
        for w in weeks
        if w <= result.program.weeks
    )
    return Table(
        ("week", "sessions done (of prescribed)", "sessions so far", f"benefit, {result.unit}"),
        rows,
        f"{result.program.label} (benefit: + = less pain than at the start)",
    )


def programmes(results: dict[str, Any]) -> Table:
    """Simulated versions of a programme side by side (benefit: + = less pain)."""
    rows = []
    unit = ""
    for name, res in results.items():
        unit = res.unit
        rows.append(
            (
                name,
                f"{res.mean_adherence()[-1]:.0%}",
                f"{res.sessions[:, -1].mean():.1f} of {res.program.prescribed_sessions}",
                f"{res.mean_benefit():+.1f}",
            )
        )
    return Table(
        ("version", "sessions done, last week", "sessions done in total", f"benefit, {unit}"),
        tuple(rows),
        "Benefit = less pain than at the start (+ = less pain).",
    )


def programme_parameters(names: Iterable[str] | None = None) -> Table:
    """The simulation's parameters: value, unit, and whether the size is from evidence."""
    from painlab import programs as pg
    from painlab import studies as st

    keys = list(names) if names is not None else list(pg.PARAMETERS)
    rows = []
    for name in keys:
        par = pg.PARAMETERS[name]
        sources = ", ".join(st.cite(k).short for k in par.references) or MISSING
        size = "illustrative" if par.illustrative else "from evidence"
        rows.append((name, f"{par.value:g}", par.unit, size, sources))
    return Table(("parameter", "value", "unit", "size", "sources"), tuple(rows))


# -- mechanisms (lessons 08-09) -------------------------------------------------------------

#: Evidence that exercise acts on the psychological and social sides of pain, not only on
#: pain sensitivity: (record id in the evidence files, the side of pain it shows).
_BEYOND_SENSITIVITY = (
    ("boecker2008-pet", "mood: euphoria rose with brain opioid release"),
    ("ellingson2016-fm-fmri", "pain rating and pain-regulating brain regions"),
    ("vong2011-met", "self-efficacy and working alliance (with motivational support)"),
    ("friedrich1998-motivation", "disability in daily life (with motivational support)"),
)


def _record(record_id: str) -> Any:
    from painlab import studies as st

    for get in (st.mechanism_findings, st.program_findings):
        for f in get():
            if f.record_id == record_id:
                return f
    raise KeyError(f"no evidence record {record_id!r}")


def beyond_sensitivity() -> Table:
    """What exercise changed beyond pain sensitivity: mood, beliefs about oneself, daily life.

    Built from evidence rows (see ``_BEYOND_SENSITIVITY``); each row keeps its finding in
    painlab's words.
    """
    rows = []
    for record_id, side in _BEYOND_SENSITIVITY:
        f = _record(record_id)
        n = "" if f.n is None else f", n = {f.n}"
        rows.append((f"{f.citation.short} ({f.design}{n})", side, f.finding))
    return Table(("study", "side of pain", "what changed"), tuple(rows))


def cross_tolerance() -> Table:
    """The animal studies of long-term running and opioid drugs, with how long the animals
    ran: the evidence behind K15 that no single bout can show."""
    from painlab import studies as st

    rows = []
    for f in st.mechanism_findings(topic="cross_tolerance"):
        rows.append((f"{f.citation.short} ({f.species})", f.population, f.finding))
    return Table(("study", "animals", "what long-term running did"), tuple(rows))


def engagement(bouts: Iterable[Any], mechanism: str) -> Table:
    """How strongly each bout plausibly engages one mechanism (0..1, illustrative), and why."""
    from painlab import mechanisms as mech

    if mechanism not in mech.MECHANISMS:
        raise ValueError(
            f"mechanism must be one of {', '.join(mech.MECHANISMS)}; got {mechanism!r}"
        )
    rows = tuple(
        (
            bout.label,
            f"{mech.engagement(bout)[mechanism]:.2f}",
            mech.explain(mechanism, bout),
        )
        for bout in bouts
    )
    return Table(("bout", "engagement (0-1)", "why"), rows, mech.MECHANISMS[mechanism].label)


def designs(topics: Iterable[str]) -> Table:
    """The mechanism evidence on some topics, one row per study, with its design."""
    from painlab import studies as st

    wanted = list(topics)
    rows = sorted(
        (
            (f.topic.replace("_", " "), f.citation.short, f.design, f.species, _cell(f.n))
            for f in st.mechanism_findings()
            if f.topic in wanted
        ),
        key=lambda r: (wanted.index(r[0].replace(" ", "_")), r[2], r[1]),
    )
    return Table(("topic", "study", "design", "species", "n"), tuple(rows))
