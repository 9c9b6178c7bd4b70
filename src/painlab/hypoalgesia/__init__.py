"""Exercise-induced hypoalgesia (EIH) after a single bout: a teaching model.

Given one bout of exercise and a population, :func:`predict` returns the change in pain
sensitivity as a standardised effect size (Cohen's d on pain threshold; positive = less
pain), where in the body (exercising limb, contralateral limb, distant resting muscle), how
it fades over the minutes after exercise, a plausible range around every value, and which
documented conditions of the dose were met.

The model is a small set of smooth curves whose shape follows the documented rules and
whose parameters were read off the studies in :mod:`painlab.studies`. It is a
**teaching model, not a clinical tool**: it interpolates between a few dozen tested doses.

Model
-----
Effect at the exercising limb right after the bout is a relief term minus a
sensitisation term:

.. math::

    d_0 = R - S, \\qquad R = P_{scale} \\cdot D_{max,k} \\cdot S_I(I) \\cdot S_t(t),
    \\qquad S = P_{sens} \\cdot E_k(\\text{bout})

- relief, aerobic: :math:`S_I` is a logistic curve in intensity (midpoint ``I50``, width
  ``w``), :math:`S_t = t^n / (t^n + t_{50}^n)` a saturating curve in duration;
- relief, isometric: :math:`S_I = 1` (high and low intensities both work) and
  :math:`S_t = x^2/(x^2 + \\phi^2)` saturates in the share of the endurance time held,
  :math:`x = t / ET_{muscle}(I)` (joint-specific endurance curves, Frey-Law & Avin 2010);
- relief, dynamic resistance: as aerobic, with its own parameters;
- sensitisation grows with the exposure actually done: for isometric holds
  :math:`E = w_{iso} x^2` (the share of the endurance time, so holding to failure is
  the largest exposure); for aerobic and dynamic exercise
  :math:`E = w_k \\cdot L(I; I_{onset}, 6) \\cdot t/(t + 10)`, a logistic rise above the
  population's onset intensity times a saturating rise with minutes. Only populations in
  which studies found more pain after exercise have :math:`P_{sens} > 0`.

Site: :math:`d_{site} = d_0 \\cdot f_{site}` (the documented spread from the exercising limb
to other sites applies to relief and to sensitisation alike, so no site shows more
hyperalgesia than the exercising limb). Time: :math:`d(m) = d_0 \\cdot 2^{-m/T_{1/2}}`.

Uncertainty
-----------
Every parameter carries a plausible ``low`` and ``high`` (see :class:`Parameter`):

- the healthy relief size spans the point estimates of the meta-analyses (Naugle 2012
  for pain threshold and intensity, Wewege & Jones 2021), relative to the model's value;
- the site factors span the sites Johnsen 2023 measured (contralateral: interpolated);
- the half-life spans the documented time courses (effects present 5 min after, gone
  by 15-30 min);
- population sizes whose value is illustrative have wide ranges.

:meth:`Response.range` combines them: the low edge takes the smallest relief, the largest
sensitisation and the site factor and half-life that make the value lowest; the high
edge the reverse. The band is a statement of what the cited evidence allows, not a
confidence interval.

One job per module: :mod:`~painlab.hypoalgesia.parameters` (the registry the
computation reads, and the populations), :mod:`~painlab.hypoalgesia.response` (what a
prediction returns), :mod:`~painlab.hypoalgesia.model` (the curves, :func:`predict`,
:func:`effect_grid`), :mod:`~painlab.hypoalgesia.reasons` (the readout's reasons) and
:mod:`~painlab.hypoalgesia.evidence` (the model against the study arms). Every name is
importable from here.
"""

from __future__ import annotations

from painlab.hypoalgesia.evidence import (
    PLAUSIBLE,
    _placed,
    agreement_summary,
    agreement_table,
    arm_bout,
    outcome_probabilities,
    tested_mask,
    tested_nearby,
)
from painlab.hypoalgesia.model import (
    _check_kind,
    effect_grid,
    lowest_intensity,
    needed_minutes,
    predict,
)
from painlab.hypoalgesia.parameters import (
    HYPOALGESIA_THRESHOLD,
    PARAMETERS,
    POPULATIONS,
    SITE_FACTORS,
    SITES,
    Parameter,
)
from painlab.hypoalgesia.reasons import dose_reasons, evidence_reason
from painlab.hypoalgesia.response import (
    REASON_MARKS,
    Bounds,
    Reason,
    Response,
    _check_population,
    range_verdict,
)

__all__ = [
    "HYPOALGESIA_THRESHOLD",
    "PARAMETERS",
    "PLAUSIBLE",
    "POPULATIONS",
    "REASON_MARKS",
    "SITES",
    "SITE_FACTORS",
    "Bounds",
    "Parameter",
    "Reason",
    "Response",
    "agreement_summary",
    "agreement_table",
    "arm_bout",
    "dose_reasons",
    "effect_grid",
    "evidence_reason",
    "lowest_intensity",
    "needed_minutes",
    "outcome_probabilities",
    "predict",
    "range_verdict",
    "tested_mask",
    "tested_nearby",
]

# private names other painlab modules use
_ = (_check_kind, _check_population, _placed)
