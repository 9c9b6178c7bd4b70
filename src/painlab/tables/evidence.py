"""Tables of the evidence: study arms, the model's agreement with them, pooled and
condition effects, findings, parameters and study designs."""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from typing import Any

from painlab.tables._base import MISSING, Table, Text, _cell, table


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


def _record(record_id: str) -> Any:
    from painlab import studies as st

    for get in (st.mechanism_findings, st.program_findings):
        for f in get():
            if f.record_id == record_id:
                return f
    raise KeyError(f"no evidence record {record_id!r}")


#: Evidence that exercise acts on the psychological and social sides of pain, not only on
#: pain sensitivity: (record id in the evidence files, the side of pain it shows).
_BEYOND_SENSITIVITY = (
    ("boecker2008-pet", "mood: euphoria rose with brain opioid release"),
    ("ellingson2016-fm-fmri", "pain rating and pain-regulating brain regions"),
    ("vong2011-met", "self-efficacy and working alliance (with motivational support)"),
    ("friedrich1998-motivation", "disability in daily life (with motivational support)"),
)


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
