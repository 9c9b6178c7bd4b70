"""Colours, symbols and sizes shared by every painlab figure.

The palette is Okabe & Ito's, which stays distinguishable for the common forms of colour
blindness. Outcome is never shown by colour alone: each outcome also has its own marker
symbol and a word in the hover text and legend.

``scale`` enlarges fonts and markers for a projector (the lecturer dashboard uses 1.6).
Fonts are the system sans-serif stack: no web font is ever downloaded.
"""

from __future__ import annotations

import math
import numbers

__all__ = [
    "OKABE_ITO",
    "OUTCOME_STYLE",
    "SCALE_LIMITS",
    "SITE_COLORS",
    "VERDICT_TEXT",
    "band_color",
    "check_scale",
    "font_family",
    "layout",
]

#: Okabe M, Ito K (2008). Color Universal Design. https://jfly.uni-koeln.de/color/
OKABE_ITO: dict[str, str] = {
    "black": "#000000",
    "orange": "#E69F00",
    "sky_blue": "#56B4E9",
    "bluish_green": "#009E73",
    "yellow": "#F0E442",
    "blue": "#0072B2",
    "vermillion": "#D55E00",
    "reddish_purple": "#CC79A7",
    "grey": "#999999",
}

#: Text colour of each outcome's verdict: the outcome's hue, dark enough for WCAG AA
#: contrast on white (4.5:1; Okabe-Ito grey and vermillion are lighter than that).
VERDICT_TEXT: dict[str, str] = {
    "hypoalgesia": OKABE_ITO["blue"],
    "none": "#595959",
    "hyperalgesia": "#A84A00",
}

#: How each documented outcome is drawn: colour + symbol + label (never colour alone).
OUTCOME_STYLE: dict[str, dict[str, str]] = {
    "hypoalgesia": {
        "color": OKABE_ITO["blue"],
        "symbol": "circle",
        "label": "less pain (hypoalgesia)",
    },
    "none": {"color": OKABE_ITO["grey"], "symbol": "square-open", "label": "no change"},
    "hyperalgesia": {
        "color": OKABE_ITO["vermillion"],
        "symbol": "x",
        "label": "more pain (hyperalgesia)",
    },
}

SITE_COLORS: dict[str, str] = {
    "exercising": OKABE_ITO["blue"],
    "contralateral": OKABE_ITO["sky_blue"],
    "distant": OKABE_ITO["bluish_green"],
}


def band_color(site: str, alpha: float = 0.18) -> str:
    """The site's colour, see-through, for its plausible-range band."""
    h = SITE_COLORS[site].lstrip("#")
    r, g, b = (int(h[i : i + 2], 16) for i in (0, 2, 4))
    return f"rgba({r},{g},{b},{alpha})"


#: Diverging colour scale for effect sizes: vermillion (more pain) -> white -> blue (less pain).
EFFECT_COLORSCALE = [
    [0.0, OKABE_ITO["vermillion"]],
    [0.5, "#F7F7F7"],
    [1.0, OKABE_ITO["blue"]],
]

CURRENT_BOUT_COLOR = OKABE_ITO["orange"]
MODEL_COLOR = OKABE_ITO["black"]

font_family = "system-ui, -apple-system, 'Segoe UI', Roboto, 'Helvetica Neue', Arial, sans-serif"


#: Valid (min, max) of the font and marker ``scale`` of dashboards and apps [x].
SCALE_LIMITS = (0.25, 4.0)


def check_scale(scale: object, name: str = "scale") -> float:
    """Return `scale` as a float if it is a number from 0.25 to 4 (times the normal size).

    Raises
    ------
    TypeError
        For text, booleans, ``None`` and other non-numbers.
    ValueError
        For zero, negative, NaN, infinite or too large values.
    """
    lo, hi = SCALE_LIMITS
    valid = f"a number from {lo:g} to {hi:g} (times the normal font size; 1.6 for a projector)"
    if isinstance(scale, bool) or not isinstance(scale, numbers.Real):
        raise TypeError(f"{name} must be {valid}; got {scale!r:.60} ({type(scale).__name__})")
    try:
        value = float(scale)
    except OverflowError:
        value = math.inf
    if not (math.isfinite(value) and lo <= value <= hi):
        raise ValueError(f"{name} must be {valid}; got {value:g}")
    return value


def layout(title: str = "", *, scale: float = 1.0, height: int = 360, **extra) -> dict:
    """Layout keywords for ``go.Figure(layout=...)``: fonts, margins, white template.

    Parameters
    ----------
    title : str
        Figure title.
    scale : float, default 1.0
        Multiplies font sizes and the height (1.6 for a projector at 1920x1080).
    height : int
        Height at scale 1 [px].
    """
    base = 13 * scale
    out = {
        "template": "plotly_white",
        "title": {"text": title, "font": {"size": base * 1.25}, "x": 0.01, "xanchor": "left"},
        "font": {"family": font_family, "size": base},
        "height": int(height * scale),
        "margin": {"l": 60 * scale, "r": 20 * scale, "t": 50 * scale, "b": 50 * scale},
        "hoverlabel": {"font": {"size": base}},
        "legend": {"font": {"size": base * 0.9}},
    }
    out.update(extra)
    return out
