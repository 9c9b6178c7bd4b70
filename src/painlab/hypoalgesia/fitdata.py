"""The study rows the dose-response model is fitted to, as arrays (numpy only).

Every measurement row of ``data/acute_arms.csv`` whose dose can be placed becomes one row
of the design: kind, population, site and measure as one-hot masks, the dose (intensity,
minutes, share of the endurance time for holds), whether the exercised region is the
painful one, minutes after the bout, ``n``, the reported verdict and, where the source
gives one, the effect size. Rows whose dose was not reported are left out with the reason,
so the fit's report lists them. (Fitting an unreported dose as a latent value was tried on
2026-12-08: those arms then absorbed the time course, the half-life rising to 25 min
against the studies that timed it, so it was dropped.)
"""

from __future__ import annotations

import csv
from dataclasses import dataclass, field
from importlib.resources import files

import numpy as np

from painlab import studies
from painlab.bouts import ENDURANCE_CURVES, KINDS
from painlab.hypoalgesia.dose_response import CLINICAL, MEASURES

#: ``n`` used for a row whose source does not report it (about the median of the data).
DEFAULT_N = 20
OUTCOME_CODE = {"hypoalgesia": 0, "none": 1, "hyperalgesia": 2}
SITE_KEYS = ("exercising", "contralateral", "distant", "unknown")
#: Effect-size metrics read as a standardised mean difference (within-subject d).
D_METRICS = ("d", "dz", "g", "smd")


@dataclass(frozen=True)
class Design:
    """The fit's rows. ``rows`` maps a column name to an array (one entry per row);
    ``study`` and ``arm`` index the random effects; ``left_out`` lists ``(arm_id,
    reason)`` for rows that could not be placed."""

    rows: dict[str, np.ndarray]
    study: np.ndarray
    arm: np.ndarray
    studies: tuple[str, ...]
    arms: tuple[str, ...]
    left_out: tuple[tuple[str, str], ...] = field(default=())

    def __len__(self) -> int:
        return len(self.study)


def _painful() -> dict[str, bool | None]:
    """``arm_id -> region_painful`` from the arms file (empty = not applicable)."""
    text = files("painlab").joinpath("data", "acute_arms.csv").read_text(encoding="utf-8")
    out: dict[str, bool | None] = {}
    for r in csv.DictReader(text.splitlines()):
        v = (r.get("region_painful") or "").strip()
        out[r["arm_id"]] = None if not v else v == "true"
    return out


def _dose(arm: studies.Arm) -> tuple[dict[str, float] | None, str]:
    """The arm's dose for the fit, or ``None`` and why not."""
    if arm.intensity is None:
        return None, "intensity not reported"
    i = float(arm.intensity)
    if arm.kind == "isometric":
        muscle = arm.muscle or "pooled"
        et = float(ENDURANCE_CURVES[muscle].minutes(min(max(i, 1.0), 100.0)))
        if arm.to_failure:
            return {"intensity": i, "minutes": et, "share": 1.0}, ""
        if arm.duration_min is None:
            return None, "hold time not reported"
        t = float(arm.duration_min)
        return {"intensity": i, "minutes": t, "share": min(t / et, 1.0)}, ""
    if arm.duration_min is None:
        return None, "duration not reported"
    return {"intensity": i, "minutes": float(arm.duration_min), "share": 0.5}, ""


def design(populations: tuple[str, ...] = ("healthy", *CLINICAL)) -> Design:
    """The design of every placeable row of the evidence (see the module docstring)."""
    painful = _painful()
    cols: dict[str, list[float]] = {}
    study_ids: list[str] = []
    arm_ids: list[str] = []
    left: list[tuple[str, str]] = []

    def put(name: str, value: float) -> None:
        cols.setdefault(name, []).append(float(value))

    for arm in studies.arms():
        if arm.population not in populations:
            left.append((arm.arm_id, f"population {arm.population!r} is not modelled"))
            continue
        dose, why = _dose(arm)
        if dose is None:
            left.append((arm.arm_id, why))
            continue
        for k in KINDS:
            put(f"kind.{k}", arm.kind == k)
        for p in populations:
            put(f"population.{p}", arm.population == p)
        for s in SITE_KEYS:
            put(f"site.{s}", (arm.site or "unknown") == s)
        measure = arm.pain_measure if arm.pain_measure in MEASURES else "threshold"
        for q in MEASURES:
            put(f"measure.{q}", measure == q)
        for name, v in dose.items():
            put(name, v)
        put("painful", bool(painful.get(arm.arm_id)) and arm.population != "healthy")
        put("minutes_after", arm.minutes_after or 0.0)
        put("n", arm.n or DEFAULT_N)
        put("outcome", OUTCOME_CODE[arm.outcome])
        has_d = arm.effect_size is not None and arm.effect_metric in D_METRICS
        put("has_d", has_d)
        put("d", arm.effect_size if has_d else 0.0)
        study_ids.append(arm.citation.key)
        arm_ids.append(arm.arm_id)
    su = tuple(dict.fromkeys(study_ids))
    au = tuple(dict.fromkeys(arm_ids))
    return Design(
        rows={k: np.asarray(v, dtype=float) for k, v in cols.items()},
        study=np.array([su.index(s) for s in study_ids], dtype=int),
        arm=np.array([au.index(a) for a in arm_ids], dtype=int),
        studies=su,
        arms=au,
        left_out=tuple(left),
    )
