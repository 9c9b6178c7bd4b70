"""The acute model's parameter registry: every parameter with its value, unit,
plausible range, status and references, and the populations the model covers.

The dose-response parameters are *fitted* (:mod:`painlab.hypoalgesia.dose_response`,
``make fit``): ``value`` is the posterior median and ``low``/``high`` the central 80% of
the posterior. The endurance curves are *read* from Frey-Law & Avin (2010)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from painlab.bouts import (
    ENDURANCE_CURVES,
)
from painlab.hypoalgesia import dose_response

#: Cohen's "small" effect: the smallest d counted as hypoalgesia (Cohen 1988).
HYPOALGESIA_THRESHOLD = 0.2
SITES: tuple[str, ...] = ("exercising", "contralateral", "distant")


@dataclass(frozen=True)
class Parameter:
    """A model parameter, its plausible range, unit and the evidence it was taken from.

    Attributes
    ----------
    value : float
    unit : str
    references : tuple of str
        Citation keys of :mod:`painlab.studies`.
    basis : str
        How the value was read off the references.
    low, high : float
        Plausible range (equal to ``value`` when the value is read directly).
    status : {"read", "fitted", "illustrative"}
        ``read``: a number stated by the source; ``fitted``: the posterior of the
        meta-regression fitted to the study arms (its prior is in ``basis``);
        ``illustrative``: the direction is documented but the size is a model assumption.
    """

    value: float
    unit: str
    references: tuple[str, ...]
    basis: str
    low: float = float("nan")
    high: float = float("nan")
    status: str = "fitted"

    def __post_init__(self) -> None:
        if np.isnan(self.low):
            object.__setattr__(self, "low", self.value)
        if np.isnan(self.high):
            object.__setattr__(self, "high", self.value)

    @property
    def assumption(self) -> bool:
        """True when the size of this parameter is a model assumption."""
        return self.status == "illustrative"


#: Every parameter of the model, keyed ``(group, name)``. ``references`` are citation
#: keys of :mod:`painlab.studies`; ``basis`` says how the value was read off them.
PARAMETERS: dict[tuple[str, str], Parameter] = {}


def _p(
    group: str,
    name: str,
    value: float,
    unit: str,
    refs: str,
    basis: str,
    low: float | None = None,
    high: float | None = None,
    status: str = "fitted",
) -> None:
    PARAMETERS[(group, name)] = Parameter(
        float(value),
        unit,
        tuple(refs.split()),
        basis,
        float(value if low is None else low),
        float(value if high is None else high),
        status,
    )


#: Populations the model covers: young healthy adults and the fitted clinical groups.
POPULATIONS: tuple[str, ...] = ("healthy", *dose_response.CLINICAL)


def _site_factors(which: str = "value") -> dict[str, float]:
    return {s: _v("site", s, which) for s in SITES}


def _v(group: str, name: str, which: str = "value") -> float:
    return float(getattr(PARAMETERS[(group, name)], which))


# ------------------------------------------------------------------ fitted parameters


def _fitted_studies() -> dict[str, tuple[str, ...]]:
    """Citation keys of the studies each group of parameters was fitted to: a kind, a
    population (``population.<name>``), ``region`` (clinical rows that exercised the painful
    region) and, for site, measure, time and spread, every study in the fit."""
    from painlab.hypoalgesia import fitdata

    d = fitdata.design()
    keys = np.array(d.studies)[d.study]
    masks = {k.split(".", 1)[1]: d.rows[k] > 0 for k in d.rows if k.startswith("kind.")}
    masks |= {k: d.rows[k] > 0 for k in d.rows if k.startswith("population.")}
    masks["region"] = d.rows["painful"] > 0
    everyone = np.ones(len(d), dtype=bool)
    masks |= dict.fromkeys(("site", "measure", "time", "spread"), everyone)
    return {g: tuple(dict.fromkeys(keys[m].tolist())) for g, m in masks.items()}


#: Group of parameters -> the studies it was fitted to (empty: only the prior informs it).
FITTED_STUDIES: dict[str, tuple[str, ...]] = _fitted_studies()


def fitted_group(parameter: str) -> str:
    """The :data:`FITTED_STUDIES` group of a fitted parameter, e.g.
    ``"population.fibromyalgia.scale"`` -> ``"population.fibromyalgia"``."""
    group, name = parameter.split(".", 1)
    return f"population.{name.split('.')[0]}" if group == "population" else group


def _register_fitted() -> None:
    for spec in dose_response.PRIORS:
        group, name = spec.name.split(".", 1)
        lo, hi = dose_response.quantiles(spec.name)
        fitted_to = FITTED_STUDIES.get(fitted_group(spec.name), ())
        basis = (
            f"{spec.label}: posterior median and central 80% of the fit to the study arms; "
            f"prior {spec.describe()} ({spec.basis})"
        )
        if not fitted_to:
            basis += "; no study arm in the fit informs it, so it keeps the prior's range"
            if group == "population":  # the studies of that population that were not placed
                fitted_to = tuple(POPULATION_FINDINGS[name.split(".")[0]][0].split())
        _p(
            group,
            name,
            dose_response.median(spec.name),
            spec.unit,
            " ".join(dict.fromkeys([*spec.references, *fitted_to])),
            basis,
            low=lo,
            high=hi,
            status="fitted",
        )


#: What the studies of each population found, in our own words (the readout's finding).
POPULATION_FINDINGS: dict[str, tuple[str, str]] = {
    "older": (
        "naugle2016 lemley2014 ohlman2018",
        "studies disagree: relief at the opposite hand after elbow-flexor holds "
        "(Lemley 2014), pressure thresholds fell after a 3-min 25% MVC handgrip (Ohlman "
        "2018), smaller EIH than in young adults (Naugle 2016)",
    ),
    "knee_osteoarthritis": (
        "burrows2014 kosek2013 toomey2025",
        "relief after upper-body exercise and quadriceps holds (Burrows 2014, "
        "Kosek 2013, Toomey 2025); no consistent change when the painful leg did "
        "resistance exercise (Burrows 2014)",
    ),
    "chronic_low_back_pain": (
        "hoffman2005 meeus2010",
        "25 min of cycling at 70% VO2peak eased pain at the finger for over 30 min "
        "(Hoffman 2005); submaximal cycling gave a normal response (Meeus 2010)",
    ),
    "chronic_neck_pain": (
        "vanoosterwijck2012 grimbyekman2020",
        "the studies are of chronic whiplash-associated disorders and neck-shoulder pain, "
        "not all neck pain: after submaximal and self-paced cycling, pressure thresholds "
        "fell at most sites in whiplash (Van Oosterwijck 2012); light arm cycling raised "
        "sensitivity in the painful region in neck-shoulder pain (Grimby-Ekman 2020)",
    ),
    "fibromyalgia": (
        "newcomb2011 ellingson2016 vierck2001 kosek1996 staud2005 staud2010 hoegerbement2011",
        "moderate or self-paced cycling eased pain (Newcomb 2011, Ellingson 2016); "
        "exercise to exhaustion increased it (Vierck 2001, Kosek 1996; Staud 2005 during a "
        "handgrip), but Staud 2010 found less pressure pain after arm exercise to exhaustion "
        "and Hoeger Bement 2011 no average change",
    ),
    "chronic_fatigue_syndrome": (
        "whiteside2004 meeus2010",
        "pain thresholds fell after every cycling dose tested (Whiteside 2004, Meeus 2010)",
    ),
}
_p(
    "site",
    "exercising",
    1.0,
    "fraction of exercising-limb effect",
    "johnsen2023",
    "reference site",
    status="read",
)
_register_fitted()
#: Deprecated alias: the site factors (read them from :data:`PARAMETERS`).
SITE_FACTORS: dict[str, float] = _site_factors()

# Isometric endurance curves: one per muscle group, from data/endurance_curves.csv.
for _m, _c in ENDURANCE_CURVES.items():
    _p(
        "endurance",
        f"{_m}.b0",
        _c.b0,
        "s",
        _c.reference,
        f"{_c.label}: power model, Table 2",
        status="read",
    )
    _p(
        "endurance",
        f"{_m}.b1",
        _c.b1,
        "-",
        _c.reference,
        f"{_c.label}: power model, Table 2",
        status="read",
    )
