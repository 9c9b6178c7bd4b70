"""A handout that needs no Python: the dose explorer as one offline HTML file.

:func:`export_handout` writes one self-contained HTML page (plotly.js inlined, no CDN, no
web font, nothing fetched) with the dose map, the body-site figure, the time course and
the readout of :func:`painlab.explore`, driven by controls for exercise kind, population,
intensity, duration and "hold until failure". The browser runs no model: every number was
computed here by :func:`painlab.predict` / :func:`painlab.hypoalgesia.effect_grid` at every
step a control can take (see :data:`GRID_STEP`), and the page only looks values up and
hands them to ``Plotly.restyle`` / ``Plotly.react``. The one formula in the page is the
documented decay of the time course, ``d(m) = d0 * 2 ** (-m / half_life)``, with
``half_life`` taken from the model.

One job per module:

- :mod:`painlab.handout.grid` -- the grid of doses and the compact encoding of values;
- :mod:`painlab.handout.readout` -- the readout factored into literal text and slots;
- :mod:`painlab.handout.page` -- the page's data and the HTML file;
- ``assets/`` -- the page's HTML, CSS and JavaScript, as files;
- slides (every figure as 1920 x 1080 images) live in :mod:`painlab.slides`.

What the file holds
-------------------
- **Figures** built by :mod:`painlab.figures` (so they look like the notebooks): one base
  figure each, and per kind x population only the parts that differ (dose surface, study
  arms with their citations in hover text, axis titles).
- **Grid values** per kind x population x grid point: Cohen's d at the three sites,
  quantised to :data:`QUANTUM` (int16), the 2-decimal strings the readout shows, the outcome
  and how long the effect lasts. Arrays are base64 typed arrays in plotly's own
  ``{"dtype", "bdata"}`` form inside one JSON block (``<script id="painlab-data">``).
- **The readout** of :func:`painlab.dashboards.readout_html`, factored into its pieces:
  the literal text of every variant (taken from real readouts at build time) and, per
  grid point, which variant and which numbers fill it. The page joins the pieces; before
  writing, :func:`export_handout` re-assembles readouts at sample points and checks them
  against ``readout_html(predict(...))`` character for character.
"""

from painlab.handout.grid import GRID_STEP, QUANTUM
from painlab.handout.page import MAX_BYTES, _script_json, export_handout, handout_data
from painlab.handout.readout import _assemble
from painlab.slides import FIGURES, FORMATS, export_figures, export_segment_figures

__all__ = [
    "FIGURES",
    "FORMATS",
    "GRID_STEP",
    "MAX_BYTES",
    "QUANTUM",
    "export_figures",
    "export_handout",
    "export_segment_figures",
    "handout_data",
]
# private helpers the tests reach for
_ = (_assemble, _script_json)
