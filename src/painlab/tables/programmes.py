"""Tables of the programme simulator: early response, adherence, programmes and their
parameters."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from painlab.tables._base import MISSING, Table, Text


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


def adherence(result: Any, weeks: Sequence[int] | None = None) -> Table:
    """Sessions done and benefit (+ = less pain) at chosen weeks of a simulated programme.

    Parameters
    ----------
    result : painlab.programs.ProgramResult
    weeks : sequence of int, optional
        Whole weeks from 0 (baseline) to the programme's weeks. Default: those of 1, 12,
        26 and 52 that the programme has.

    Raises
    ------
    TypeError, ValueError
        For a week that is not a whole number from 0 to the programme's weeks (a negative
        week is refused, not read from the end).
    """
    from painlab import programs as pg

    last = int(result.program.weeks)
    if weeks is None:
        chosen = [w for w in (1, 12, 26, 52) if w <= last]
    elif isinstance(weeks, (str, bytes)) or not isinstance(weeks, Iterable):
        raise TypeError(f"weeks must be a list of whole weeks from 0 to {last}; got {weeks!r}")
    else:
        chosen = [pg.check_week(w, last, "weeks") for w in weeks]
    share = result.mean_adherence()  # weeks 1..W; week 0 (baseline) has no sessions
    rows = tuple(
        (
            str(w),
            f"{share[w - 1]:.0%}" if w > 0 else "baseline",
            f"{result.sessions[:, w].mean():.1f}",
            f"{result.mean_benefit(w):+.1f}",
        )
        for w in chosen
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
