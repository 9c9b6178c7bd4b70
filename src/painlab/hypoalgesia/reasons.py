"""The readout's reasons: documented conditions of the dose, what studies of the
population found, model assumptions and the evidence at a close dose."""

from __future__ import annotations

import functools

import numpy as np

from painlab import studies, vocabulary
from painlab.bouts import (
    DEFAULT_MUSCLE,
    UNITS,
    Bout,
    endurance_time,
)
from painlab.hypoalgesia import evidence as evidence_mod  # a cycle: used at call time
from painlab.hypoalgesia.model import lowest_intensity, needed_minutes, painful_region
from painlab.hypoalgesia.parameters import (
    FITTED_STUDIES,
    PARAMETERS,
    POPULATION_FINDINGS,
    POPULATIONS,
)
from painlab.hypoalgesia.response import Reason

# --------------------------------------------------------------------------- the readout


#: The studies a readout line cites for a fitted dose rule: those whose arms pin it down
#: most directly (the parameter table, ``pl.tables.parameters``, lists every study the
#: parameter was fitted to). Only keys of arms in the fit are cited.
KEY_STUDIES: dict[str, tuple[str, ...]] = {
    "aerobic": ("hoffman2004", "naugle2014", "vaegter2015", "sternberg2001", "tomschi2023"),
    "dynamic_resistance": ("koltyn1998",),
    "isometric": ("hoegerbement2008", "kosek1995", "koltyn2001", "vaegter2017", "umeda2009"),
}


@functools.cache
def _key_studies(kind: str, *extra: tuple[str, str]) -> tuple[str, ...]:
    """The key studies of a kind that a fitted parameter of it cites, plus ``extra`` refs."""
    fitted = set(PARAMETERS[(kind, "A")].references)
    keys = [k for k in KEY_STUDIES[kind] if k in fitted]
    return tuple(dict.fromkeys([*keys, *_refs(*extra)]))


def _refs(*keys: tuple[str, str]) -> tuple[str, ...]:
    out: dict[str, None] = {}
    for k in keys:
        for r in PARAMETERS[k].references:
            out.setdefault(r, None)
    return tuple(out)


_pop_label = vocabulary.population_label


def _reasons(bout: Bout, population: str, d0: float, sens: float) -> list[Reason]:
    out = dose_reasons(bout)
    out += _population_reasons(bout, population)
    out.append(_evidence_reason(bout, population))
    return out


def dose_reasons(bout: Bout) -> list[Reason]:
    """The readout lines that depend on the dose only (the same in every population):
    the dose conditions, found on the fitted healthy-adult curves, and for holds the
    fitted share of the endurance time."""
    k, i, t = bout.kind, bout.intensity, bout.minutes
    unit = UNITS[k]
    muscle = bout.muscle or DEFAULT_MUSCLE
    out: list[Reason] = []
    need = needed_minutes(k, i, muscle)
    if k in ("aerobic", "dynamic_resistance"):
        i_min = lowest_intensity(k)
        out.append(
            Reason(
                i >= i_min,
                f"Intensity {i:g} {unit} is {'at or above' if i >= i_min else 'below'} the lowest "
                f"intensity at which the fitted curve eases pain in healthy adults (about "
                f"{i_min:.0f} {unit})",
                _key_studies(k),
            )
        )
        enough = bool(np.isfinite(need) and t >= need)
        need_txt = f"about {need:.1f} min or more" if np.isfinite(need) else "no duration is enough"
        out.append(
            Reason(
                enough,
                f"Duration {t:g} min {'is' if enough else 'is not'} long enough at this intensity "
                f"on the fitted curve ({need_txt}; harder bouts need fewer minutes when the "
                "fitted trade-off is positive)",
                _key_studies(k),
            )
        )
    else:
        out.append(
            Reason(
                t >= need,
                f"Held {t:.1f} min; at {i:g} % MVC ({bout.muscle_label}) about {need:.1f} min or "
                "more is needed on the fitted curve (lower intensities need longer holds)",
                _key_studies("isometric", ("endurance", f"{muscle}.b0")),
            )
        )
        et = endurance_time(i, muscle)
        phi = PARAMETERS[("isometric", "phi")]
        out.append(
            Reason(
                True,
                f"Fatigue used: {min(t / et, 1.0):.0%} of the endurance time ({et:.1f} min at this "
                f"intensity); the fit puts half the relief at {phi.value:.0%} of the endurance "
                f"time (80% range {phi.low:.0%} to {phi.high:.0%}), well short of failure",
                _key_studies("isometric"),
                kind="finding",
            )
        )
        average = (
            f"this hold is longer than the average endurance time ({et:.1f} min): possible for "
            "people who outlast the average curve; the model treats it as a hold to failure"
            if bout.beyond_average
            else "the endurance time is an average curve (Frey-Law & Avin 2010); people "
            "differ widely, so a hold past it is possible for some"
        )
        out.append(Reason(True, average, _refs(("endurance", f"{muscle}.b0")), kind="assumption"))
    return out


def _population_reasons(bout: Bout, population: str) -> list[Reason]:
    out: list[Reason] = []
    if population == "healthy":
        return out
    refs, finding = POPULATION_FINDINGS[population]
    scale = PARAMETERS[("population", f"{population}.scale")]
    sens = PARAMETERS[("population", f"{population}.sensitisation")]
    unfitted = not FITTED_STUDIES.get(f"population.{population}")
    out.append(
        Reason(
            True,
            f"In {_pop_label(population)}: {finding}",
            tuple(refs.split()),
            interpolated=unfitted,
            kind="finding",
        )
    )
    fitted = (
        "no placed study of this population informs the fit: its prior's wide range is shown"
        if unfitted
        else "fitted to the placed studies of this population"
    )
    out.append(
        Reason(
            True,
            f"relief in {_pop_label(population)} is at most the healthy response (fitted "
            f"x{scale.value:.2f}, 80% range {scale.low:.2f} to {scale.high:.2f}); more pain "
            f"grows with the exposure done (size {sens.value:.2f}); {fitted}",
            (),
            interpolated=unfitted,
            kind="assumption",
        )
    )
    if painful_region(bout.kind, population, bout.muscle):
        region = PARAMETERS[("region", "sensitisation")]
        out.append(
            Reason(
                True,
                f"this exercise loads the painful region (aerobic and dynamic exercise are "
                f"taken as leg exercise): the fitted extra sensitisation of a painful region "
                f"applies (size {region.value:.2f}, 80% range {region.low:.2f} to "
                f"{region.high:.2f})",
                region.references,
                kind="assumption",
            )
        )
    return out


def _evidence_reason(bout: Bout, population: str) -> Reason:
    near = evidence_mod.tested_nearby(bout, population)
    others = (
        []
        if near
        else [p for p in POPULATIONS if p != population and evidence_mod.tested_nearby(bout, p)]
    )
    return evidence_reason(near, population, others)


def evidence_reason(
    near: list[studies.Arm], population: str, others: list[str] | tuple[str, ...] = ()
) -> Reason:
    """The readout line on the evidence at a dose.

    Parameters
    ----------
    near : list of Arm
        Arms of this population that tested a close dose (:func:`tested_nearby`).
    population : str
    others : sequence of str
        Other populations in which a close dose was tested (named when ``near`` is empty).
    """
    if near:
        seen: dict[str, list[str]] = {}
        keys: dict[str, None] = {}
        for arm in near:
            where = vocabulary.site_word(arm.site) if arm.site else "site not stated"
            if arm.minutes_after is not None:
                where += f" at {arm.minutes_after:g} min"
            measure = f"{arm.stimulus} {arm.pain_measure}".replace("_", " ").strip()
            item = f"{arm.outcome} ({measure}, {where})"
            if item not in seen.setdefault(arm.citation.short, []):
                seen[arm.citation.short].append(item)
            keys.setdefault(arm.citation.key, None)
        found = "; ".join(f"{s}: {', '.join(v)}" for s, v in seen.items())
        return Reason(
            True,
            f"Tested in {_pop_label(population)} at a close dose: {found}",
            tuple(keys),
            kind="evidence",
        )
    also = f" (a close dose was tested in {', '.join(map(_pop_label, others))})" if others else ""
    return Reason(
        False,
        f"No study of {_pop_label(population)} tested a dose this close: the model "
        f"interpolates here{also}",
        (),
        interpolated=True,
        kind="evidence",
    )
