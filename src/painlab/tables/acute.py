"""Tables of the model for single bouts: doses, thresholds, endurance, sites, time
course, schedules, populations and mechanisms."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from painlab.tables._base import MISSING, Table, Text, _cell, table


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
