"""The acute model's parameter registry: every parameter with its value, unit,
plausible range, status and references, and the populations the model covers. The
computation reads every number from :data:`PARAMETERS`."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from painlab.bouts import (
    ENDURANCE_CURVES,
)

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
        ``read``: a number stated by the source; ``fitted``: chosen so the model
        reproduces documented outcomes; ``illustrative``: the direction is documented but
        the size is a model assumption.
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


#: Populations the model covers (filled by the calibration section at the end).
POPULATIONS: tuple[str, ...] = ()


def _site_factors(which: str = "value") -> dict[str, float]:
    return {s: _v("site", s, which) for s in SITES}


def _v(group: str, name: str, which: str = "value") -> float:
    return float(getattr(PARAMETERS[(group, name)], which))


# ---------------------------------------------------------------------------- calibration


# Aerobic (% VO2max, min). 50% VO2max for 30 min and 50% HRR for 25 min gave no pressure
# hypoalgesia; 63-75% did. 10 min at 75% was not enough; 15 min was.
_p(
    "aerobic",
    "I50",
    60.0,
    "% VO2max",
    "hoffman2004 naugle2014 gurevich1994 vaegter2015",
    "midpoint between the highest ineffective (50%) and lowest effective (63-70%) intensities",
)
_p(
    "aerobic",
    "width",
    4.0,
    "% VO2max",
    "hoffman2004 naugle2014",
    "steep: the studies find a threshold rather than a gradual rise between 50% and 70%",
)
_p(
    "aerobic",
    "t50",
    13.0,
    "min",
    "hoffman2004 vaegter2015",
    "between the ineffective 10 min (Hoffman 2004) and the effective 15 min (Vaegter 2015) at 75%",
)
_p(
    "aerobic",
    "hill",
    4.0,
    "-",
    "hoffman2004 vaegter2015",
    "steep: 10 min at 75% did nothing (Hoffman 2004) while 15 min worked (Vaegter 2015)",
)
_p(
    "aerobic",
    "d_max",
    0.75,
    "Cohen's d",
    "naugle2012 wewege2021",
    "75% VO2max for 30 min gives d = 0.71, above the pooled d = 0.41 (Naugle 2012) and inside "
    "the pooled 95% CI 0.13 to 1.58 (Wewege 2021); the range spans the meta-analytic point "
    "estimates, d = 0.41 (Naugle 2012, threshold) to g = 0.85 (Wewege 2021)",
    low=0.75 * 0.41 / 0.71,
    high=0.75 * 0.85 / 0.71,
)
# Isometric (% MVC, min): low (21-25% MVC) and high (80%) holds to failure both worked;
# 25% MVC for 2 min did not (Hoeger Bement 2008); 22% to exhaustion still worked 5 min later.
_p(
    "isometric",
    "phi",
    0.7,
    "fraction of endurance time",
    "hoegerbement2008 kosek1996 kosek1995",
    "hold time (as a fraction of the endurance time) giving half the maximal effect, set so "
    "that 25% MVC for 2 min (0.35 of the endurance time) stays below d = 0.2 while holds to "
    "failure give d = 0.6",
)
_p(
    "isometric",
    "d_max",
    0.9,
    "Cohen's d",
    "naugle2012 wewege2021",
    "pooled repeated-measures d = 1.02 (Naugle 2012) against g = 0.16 in RCTs (Wewege 2021): "
    "the model follows the larger body of repeated-measures studies, below its estimate (a hold "
    "to failure gives d = 0.60); the range spans the point estimates, g = 0.16 to d = 1.02",
    low=0.9 * 0.16 / 0.60,
    high=0.9 * 1.02 / 0.60,
)
# Dynamic resistance (% 1RM, min): 3 x 10 at 75% 1RM (~45 min) worked at 5 min, not at 15.
_p(
    "dynamic_resistance",
    "I50",
    50.0,
    "% 1RM",
    "koltyn1998",
    "interpolated: only 75% 1RM was tested with a known load; midpoint set below it",
)
_p("dynamic_resistance", "width", 8.0, "% 1RM", "koltyn1998", "interpolated (one tested load)")
_p("dynamic_resistance", "t50", 10.0, "min", "koltyn1998", "interpolated (one tested duration)")
_p("dynamic_resistance", "hill", 2.0, "-", "koltyn1998", "interpolated (one tested duration)")
_p(
    "dynamic_resistance",
    "d_max",
    0.75,
    "Cohen's d",
    "naugle2012 wewege2021",
    "between pooled d = 0.83 (Naugle 2012) and g = 0.45, CI 0.22-0.69 (Wewege 2021); 75% 1RM "
    "for 45 min gives d = 0.69 and the range spans the two point estimates",
    low=0.75 * 0.45 / 0.685,
    high=0.75 * 0.83 / 0.685,
)
# Sites: Johnsen 2023 measured PPT at the exercising calf (+13.9%), lower back (+10.1%) and
# forearm (+6.0%) after cycling.
_p(
    "site",
    "exercising",
    1.0,
    "fraction of exercising-limb effect",
    "johnsen2023",
    "reference site",
    status="read",
)
_p(
    "site",
    "distant",
    0.58,
    "fraction of exercising-limb effect",
    "johnsen2023 vaegter2014",
    "mean of lower back (10.1/13.9 = 0.73) and forearm (6.0/13.9 = 0.43) relative to the "
    "exercising calf; the range spans the two sites",
    low=0.43,
    high=0.73,
)
_p(
    "site",
    "contralateral",
    0.79,
    "fraction of exercising-limb effect",
    "koltyn2007 staud2005 hoegerbement2008",
    "interpolated: these studies found contralateral hypoalgesia but their abstracts give no "
    "ratio; set midway between the exercising limb (1) and distant muscle (0.58), with a "
    "range spanning both",
    low=0.58,
    high=1.0,
    status="illustrative",
)
#: Deprecated alias: the site factors (read them from :data:`PARAMETERS`).
SITE_FACTORS: dict[str, float] = _site_factors()
# Time course: hypoalgesia present 5 min after and gone by 15 min (Micalos 2016, Koltyn &
# Arbogast 1998) or 30 min (Hoffman 2004); still present 2.5-5 min after a hold (Kosek 1996).
_p(
    "time",
    "half_life",
    10.0,
    "min",
    "micalos2016 koltyn1998 hoffman2004 kosek1996 droste1991",
    "fitted so effects present at 5 min are gone by 15-30 min; the range keeps both ends "
    "(gone by 15 min needs about 6 min, gone by 30 min allows about 15 min)",
    low=6.0,
    high=15.0,
)
# Sensitisation: how exposure is measured (shape assumptions shared by all populations).
_p(
    "sensitisation",
    "isometric_weight",
    0.6,
    "Cohen's d per unit size at task failure",
    "kosek1996 hoegerbement2011",
    "exposure of a hold is the square of the share of the endurance time held, so holding "
    "to failure is the largest exposure; weight set so that fibromyalgia lands between "
    "Kosek 1996 (more pain after holds to exhaustion) and Hoeger Bement 2011 (no change)",
    status="illustrative",
)
_p(
    "sensitisation",
    "dynamic_weight",
    0.6,
    "fraction of the aerobic exposure",
    "burrows2014",
    "no dose-response study of dynamic resistance exercise in sensitised populations was "
    "found; set like isometric exercise",
    status="illustrative",
)
_p(
    "sensitisation",
    "onset_width",
    6.0,
    "% of maximum",
    "vierck2001 newcomb2011",
    "exposure rises steeply above the population's onset intensity (moderate exercise eased "
    "pain in fibromyalgia, exhaustive exercise increased it)",
    status="illustrative",
)
_p(
    "sensitisation",
    "t_half",
    10.0,
    "min",
    "vierck2001",
    "exposure of aerobic and dynamic exercise grows with minutes and is half its ceiling "
    "after 10 min (an 11-12 min bout to exhaustion increased pain in Vierck 2001)",
    status="illustrative",
)
# Populations: relief scale (fraction of the healthy response), sensitisation size and the
# intensity above which aerobic/dynamic exposure grows. Findings are in the basis text.
_POP: dict[str, dict] = {
    "healthy": {
        "scale": (1.0, 1.0, 1.0),
        "sens": (0.0, 0.0, 0.0),
        "onset": 100.0,
        "refs": "naugle2012",
        "basis": "reference population: young healthy adults",
    },
    "older": {
        "scale": (0.5, 0.0, 1.0),
        "sens": (0.0, 0.0, 0.4),
        "onset": 100.0,
        "refs": "naugle2016 lemley2014 ohlman2018",
        "basis": "studies disagree: relief at the opposite hand after elbow-flexor holds "
        "(Lemley 2014), pressure thresholds fell after a 3-min 25% MVC handgrip (Ohlman "
        "2018), smaller EIH than in young adults (Naugle 2016)",
    },
    "knee_osteoarthritis": {
        "scale": (0.6, 0.3, 1.0),
        "sens": (0.0, 0.0, 0.3),
        "onset": 100.0,
        "refs": "burrows2014 kosek2013 toomey2025",
        "basis": "relief after upper-body exercise and quadriceps holds (Burrows 2014, "
        "Kosek 2013, Toomey 2025); no consistent change when the painful leg did "
        "resistance exercise (Burrows 2014)",
    },
    "chronic_low_back_pain": {
        "scale": (0.9, 0.4, 1.2),
        "sens": (0.0, 0.0, 0.3),
        "onset": 100.0,
        "refs": "hoffman2005 meeus2010",
        "basis": "25 min of cycling at 70% VO2peak eased pain at the finger for over 30 min "
        "(Hoffman 2005); submaximal cycling gave a normal response (Meeus 2010)",
    },
    "chronic_neck_pain": {
        "scale": (0.3, 0.0, 0.6),
        "sens": (0.5, 0.25, 1.0),
        "onset": 50.0,
        "refs": "vanoosterwijck2012 grimbyekman2020",
        "basis": "whiplash: pressure thresholds fell at most sites after submaximal and "
        "self-paced cycling (Van Oosterwijck 2012); neck-shoulder pain: more sensitivity in "
        "the painful region after light arm cycling (Grimby-Ekman 2020)",
    },
    "fibromyalgia": {
        "scale": (0.5, 0.2, 1.0),
        "sens": (1.0, 0.4, 1.5),
        "onset": 80.0,
        "refs": "newcomb2011 ellingson2016 vierck2001 kosek1996 staud2005 staud2010 "
        "hoegerbement2011",
        "basis": "moderate or self-paced cycling eased pain (Newcomb 2011, Ellingson 2016); "
        "exercise to exhaustion increased it (Vierck 2001, Kosek 1996; Staud 2005 during a "
        "handgrip), but Staud 2010 found less pressure pain after arm exercise to exhaustion "
        "and Hoeger Bement 2011 no average change; after exercise Ellingson 2016 found heat "
        "pain brought to control levels, so the relief range reaches the healthy response",
    },
    "chronic_fatigue_syndrome": {
        "scale": (0.0, 0.0, 0.3),
        "sens": (0.6, 0.3, 1.0),
        "onset": 50.0,
        "refs": "whiteside2004 meeus2010",
        "basis": "pain thresholds fell after every cycling dose tested (Whiteside 2004, "
        "Meeus 2010)",
    },
}
for _name, _q in _POP.items():
    _status = "read" if _name == "healthy" else "illustrative"
    _p(
        "population",
        f"{_name}.scale",
        _q["scale"][0],
        "fraction of healthy relief",
        _q["refs"],
        _q["basis"],
        low=_q["scale"][1],
        high=_q["scale"][2],
        status=_status,
    )
    _p(
        "population",
        f"{_name}.sensitisation",
        _q["sens"][0],
        "Cohen's d at full exposure",
        _q["refs"],
        _q["basis"],
        low=_q["sens"][1],
        high=_q["sens"][2],
        status=_status,
    )
    _p(
        "population",
        f"{_name}.onset",
        _q["onset"],
        "% of maximum",
        _q["refs"],
        "intensity above which aerobic and dynamic exercise sensitises (100: never)",
        status=_status,
    )
_p(
    "population",
    "fibromyalgia.aerobic_I50",
    45.0,
    "% VO2max",
    "newcomb2011 ellingson2016",
    "in fibromyalgia relief is assumed to start at a lower intensity than in healthy adults "
    "(self-selected cycling, below the prescribed 60-75% HRmax, eased pain: Newcomb 2011)",
    low=40.0,
    high=55.0,
    status="illustrative",
)
POPULATIONS = tuple(_POP)
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
