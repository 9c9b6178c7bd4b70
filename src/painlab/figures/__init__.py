"""Figure builders: model results and evidence in, :class:`plotly.graph_objects.Figure` out.

Every builder is pure (no widgets, no ``.show()``) and returns a figure whose traces have
fixed names and order, so a dashboard can build a figure once and later update its traces
in place (see :mod:`painlab.dashboards`). The ``update_*`` companions compute the new trace
data for a figure built by the matching ``plot_*``; they never add or remove traces.

Study markers carry their citation (study, dose, measure, outcome, DOI) in hover text.
Outcome is shown by marker symbol *and* colour *and* legend label, never colour alone.

One module per family of figures: :mod:`~painlab.figures.dose_map`,
:mod:`~painlab.figures.acute` (sites, time course, mechanisms, fatigue),
:mod:`~painlab.figures.programmes` (conditions and programmes) and
:mod:`~painlab.figures.votes`; what they share (trace names, the current-bout star,
:func:`apply_update`) is in ``_base``. Every public name is importable from here.
"""

from __future__ import annotations

from painlab.figures._base import (
    SITE_LABELS as SITE_LABELS,
)
from painlab.figures._base import (
    STUDIES_NAME as STUDIES_NAME,
)
from painlab.figures._base import (
    UNTESTED_NAME as UNTESTED_NAME,
)
from painlab.figures._base import (
    apply_update as apply_update,
)
from painlab.figures.acute import (
    fatigue_update as fatigue_update,
)
from painlab.figures.acute import (
    mechanisms_style as mechanisms_style,
)
from painlab.figures.acute import (
    mechanisms_update as mechanisms_update,
)
from painlab.figures.acute import (
    plot_fatigue as plot_fatigue,
)
from painlab.figures.acute import (
    plot_mechanisms as plot_mechanisms,
)
from painlab.figures.acute import (
    plot_sites as plot_sites,
)
from painlab.figures.acute import (
    plot_time_course as plot_time_course,
)
from painlab.figures.acute import (
    sites_data as sites_data,
)
from painlab.figures.acute import (
    sites_update as sites_update,
)
from painlab.figures.acute import (
    time_band_data as time_band_data,
)
from painlab.figures.acute import (
    time_course_data as time_course_data,
)
from painlab.figures.acute import (
    time_course_update as time_course_update,
)
from painlab.figures.acute import (
    time_points_data as time_points_data,
)
from painlab.figures.dose_map import (
    dose_map_data as dose_map_data,
)
from painlab.figures.dose_map import (
    dose_map_update as dose_map_update,
)
from painlab.figures.dose_map import (
    plot_dose_map as plot_dose_map,
)
from painlab.figures.dose_map import (
    unplaced_arms as unplaced_arms,
)
from painlab.figures.programmes import (
    early_late_data as early_late_data,
)
from painlab.figures.programmes import (
    plot_condition_effects as plot_condition_effects,
)
from painlab.figures.programmes import (
    plot_early_late as plot_early_late,
)
from painlab.figures.programmes import (
    plot_program as plot_program,
)
from painlab.figures.programmes import (
    plot_program_comparison as plot_program_comparison,
)
from painlab.figures.programmes import (
    program_comparison_data as program_comparison_data,
)
from painlab.figures.programmes import (
    program_course_data as program_course_data,
)
from painlab.figures.votes import (
    VOTE_ROUNDS as VOTE_ROUNDS,
)
from painlab.figures.votes import (
    plot_votes as plot_votes,
)
from painlab.figures.votes import (
    votes_data as votes_data,
)

__all__ = [
    "apply_update",
    "dose_map_data",
    "dose_map_update",
    "plot_condition_effects",
    "plot_dose_map",
    "plot_fatigue",
    "plot_mechanisms",
    "plot_sites",
    "plot_time_course",
    "sites_data",
    "sites_update",
    "time_course_data",
    "time_course_update",
    "time_points_data",
]
