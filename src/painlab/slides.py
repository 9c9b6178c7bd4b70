"""Slides: every figure as 1920 x 1080 images (PNG, SVG, ...), drawn by kaleido in the
system Chromium; nothing is downloaded."""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Sequence
from pathlib import Path

from painlab import figures, hypoalgesia
from painlab._chromium import find_browser
from painlab._files import atomic_write, check_target
from painlab.bouts import KINDS, Bout

#: Figures :func:`export_figures` writes, in order (file stem -> what it shows).
FIGURES: dict[str, str] = {
    "dose_map_aerobic": "dose map, aerobic exercise",
    "dose_map_isometric": "dose map, isometric holds",
    "dose_map_dynamic_resistance": "dose map, dynamic resistance exercise",
    "sites": "effect by body site",
    "time_course": "effect over the minutes after the bout",
    "mechanisms": "mechanisms engaged",
    "fatigue": "isometric effect versus fatigue used",
    "condition_effects": "exercise programmes by condition (forest plot)",
}
#: Image formats kaleido writes.
FORMATS: tuple[str, ...] = ("png", "svg", "pdf", "jpg", "jpeg", "webp")


# --------------------------------------------------------------------------- slides


def _check_image_args(formats, width, height) -> tuple[str, ...]:
    """Validate the image formats and pixel size shared by the slide exports."""
    if isinstance(formats, str):
        formats = (formats,)
    formats = tuple(f.lower().lstrip(".") for f in formats)
    bad = [f for f in formats if f not in FORMATS]
    if bad or not formats:
        raise ValueError(
            f"formats must be a non-empty selection of {', '.join(map(repr, FORMATS))}; "
            f"got {list(formats)!r}"
        )
    for name, v in (("width", width), ("height", height)):
        if not isinstance(v, int) or isinstance(v, bool) or not 100 <= v <= 8000:
            raise ValueError(f"{name} must be a whole number of pixels, 100 to 8000; got {v!r}")
    return formats


def export_figures(
    folder: str | os.PathLike = "slides",
    formats: Sequence[str] = ("png", "svg"),
    *,
    bout: Bout | None = None,
    population: str = "healthy",
    width: int = 1920,
    height: int = 1080,
    scale: float = 1.6,
    browser_path: str | os.PathLike | None = None,
) -> list[Path]:
    """Write every painlab figure as image files for slides, at 1920 x 1080 by default.

    Figures (file stems, see :data:`FIGURES`): the dose map of each kind, sites, time
    course, mechanisms, fatigue and the condition forest plot, built by
    :mod:`painlab.figures` with presenter-sized fonts. Images are drawn by kaleido in the
    system Chromium (``browser_path``, else ``$BROWSER_PATH``, else ``chromium`` on the
    PATH); nothing is downloaded and MathJax is off, so it works offline.

    Parameters
    ----------
    folder : str or path-like, default "slides"
        Created if missing; existing files of the same names are replaced, each
        atomically, only after every image was drawn (a failure leaves the old slides).
    formats : sequence of str, default ("png", "svg")
        Any of :data:`FORMATS`.
    bout : Bout, optional
        The bout shown by the sites, time-course and mechanisms figures and marked on the
        dose map of its kind (default: aerobic, 75% VO2max, 30 min).
    population : str, default "healthy"
    width, height : int
        Image size [px].
    scale : float, default 1.6
        Font and marker scale of the figures (1.6 suits a projector at 1920 x 1080).
    browser_path : path, optional
        Chromium or Chrome executable.

    Returns
    -------
    list of pathlib.Path
        The files written, figure by figure, in the order of ``formats``.
    """
    formats = _check_image_args(formats, width, height)
    if bout is None:
        bout = Bout("aerobic", 75, 30)
    if not isinstance(bout, Bout):
        raise TypeError(f"bout must be a painlab.Bout or None; got {type(bout).__name__}")
    r = hypoalgesia.predict(bout, population)  # validates the population
    if not isinstance(folder, (str, os.PathLike)) or isinstance(folder, bytes):
        raise TypeError(f"folder must be a folder path (str or pathlib.Path); got {folder!r}")
    out = Path(folder)
    if out.exists() and not out.is_dir():
        raise ValueError(f"folder {str(folder)!r} exists and is not a folder")
    for name in FIGURES:  # every target checked before kaleido starts
        for fmt in formats:
            check_target(out / f"{name}.{fmt}", "folder")
    chromium = find_browser(browser_path)
    figs = {
        f"dose_map_{k}": figures.plot_dose_map(
            k, population, bout if bout.kind == k else None, scale=scale
        )
        for k in KINDS
    }
    figs["sites"] = figures.plot_sites(r, scale=scale)
    figs["time_course"] = figures.plot_time_course(r, scale=scale)
    figs["mechanisms"] = figures.plot_mechanisms(r, scale=scale)
    figs["fatigue"] = figures.plot_fatigue(
        population=population, current=bout if bout.kind == "isometric" else None, scale=scale
    )
    figs["condition_effects"] = figures.plot_condition_effects(scale=scale)
    assert list(figs) == list(FIGURES)
    out.mkdir(parents=True, exist_ok=True)
    # kaleido draws into a scratch folder beside the images; each image then replaces its
    # old file atomically, so a failure never leaves a half-written slide.
    scratch = Path(tempfile.mkdtemp(prefix=".painlab-figures-", dir=out))
    try:
        return _draw_figures(figs, formats, out, scratch, width, height, chromium)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


def export_segment_figures(
    lecture,
    folder: str | os.PathLike = "lecture-kit/figures",
    formats: Sequence[str] = ("png", "svg"),
    *,
    width: int = 1920,
    height: int = 1080,
    scale: float = 1.6,
    browser_path: str | os.PathLike | None = None,
) -> list[Path]:
    """Write the main figure(s) of every lecture segment as images, like :func:`export_figures`.

    File stems are ``<nn>-<segment id>-<figure>`` (for example
    ``02-aerobic-dose-dose_map.png``); the figures are those of
    :func:`painlab.lecture.segment_figures` at the segment's starting state. Same checks,
    drawing (kaleido in the system Chromium, offline) and atomic replacement as
    :func:`export_figures`.

    Parameters
    ----------
    lecture : painlab.lecture.Lecture
        The lecture (:func:`painlab.lecture.load`).
    folder, formats, width, height, scale, browser_path
        As for :func:`export_figures`.

    Returns
    -------
    list of pathlib.Path
        The files written, segment by segment.
    """
    from painlab.lecture import segment_figures

    formats = _check_image_args(formats, width, height)
    out = Path(folder)
    if out.exists() and not out.is_dir():
        raise ValueError(f"folder {str(folder)!r} exists and is not a folder")
    figs = {}
    for i, seg in enumerate(lecture, 1):
        for name, fig in segment_figures(seg, scale=scale).items():
            figs[f"{i:02d}-{seg.id}-{name}"] = fig
    for name in figs:
        for fmt in formats:
            check_target(out / f"{name}.{fmt}", "folder")
    chromium = find_browser(browser_path)
    out.mkdir(parents=True, exist_ok=True)
    scratch = Path(tempfile.mkdtemp(prefix=".painlab-figures-", dir=out))
    try:
        return _draw_figures(figs, formats, out, scratch, width, height, chromium)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


def _draw_figures(figs, formats, out, scratch, width, height, chromium) -> list[Path]:
    specs, paths = [], []
    for name, fig in figs.items():
        fig_dict = fig.to_plotly_json()
        for fmt in formats:
            p = out / f"{name}.{fmt}"
            paths.append(p)
            specs.append(
                {
                    "fig": fig_dict,
                    "path": scratch / p.name,
                    "opts": {
                        "format": "jpeg" if fmt == "jpg" else fmt,
                        "width": width,
                        "height": height,
                        "scale": 1,
                    },
                }
            )
    import kaleido

    kaleido.write_fig_from_object_sync(
        specs, kopts={"path": chromium, "mathjax": False}, cancel_on_error=True
    )
    missing = [p for p in paths if not (scratch / p.name).is_file()]
    missing += [p for p in paths if p not in missing and (scratch / p.name).stat().st_size == 0]
    if missing:
        raise RuntimeError(f"kaleido did not write {', '.join(map(str, missing))}")
    for p in paths:
        atomic_write(p, (scratch / p.name).read_bytes())
    return paths
