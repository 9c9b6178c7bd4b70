"""Tests for painlab.handout without a browser: the offline HTML file and slide exports.

The handout must be one file that fetches nothing, stay under 10 MB, and show exactly the
model's numbers: every value checked here is recomputed with ``pl.predict`` at the same
grid point. (The page itself is driven in tests/test_handout_browser.py.)
"""

from __future__ import annotations

import base64
import datetime as dt
import html
import json
import re
import struct
import xml.etree.ElementTree as ET
from html.parser import HTMLParser

import numpy as np
import pytest

import painlab as pl
from painlab import figures, handout, hypoalgesia
from painlab.bouts import KINDS, LIMITS, Bout, endurance_time
from painlab.dashboards import readout_html

SITES = ("exercising", "contralateral", "distant")
N_SAMPLE = 50  # random grid points per kind and population


# --------------------------------------------------------------------------- fixtures


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    folder = tmp_path_factory.mktemp("handout")
    path = pl.export_handout(folder / "eih.html", verbose=False)
    text = path.read_text(encoding="utf-8")
    return {"folder": folder, "path": path, "text": text, "data": _payload(text)}


def _payload(text: str) -> dict:
    m = re.search(r'<script type="application/json" id="painlab-data">(.*?)</script>', text, re.S)
    assert m, "the handout embeds its data as one JSON block"
    return json.loads(m.group(1))


def _array(spec: dict) -> np.ndarray:
    return np.frombuffer(base64.b64decode(spec["bdata"]), dtype=np.dtype("<" + spec["dtype"]))


def _bout(data: dict, kind: str, p: int) -> Bout:
    """The bout of grid point p, read from the handout's own grid (not from handout.py)."""
    g = data["grid"][kind]
    i, t = int(_array(g["i_index"])[p]), int(_array(g["t_index"])[p])
    intensity = g["intensity"][i]
    if t == len(g["duration"]):
        return Bout(kind, intensity, to_failure=True)
    return Bout(kind, intensity, g["duration"][t])


class _Tags(HTMLParser):
    def __init__(self):
        super().__init__()
        self.tags: list[tuple[str, dict]] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))

    handle_startendtag = handle_starttag


# --------------------------------------------------------------------------- one offline file


def test_export_returns_the_one_file_it_wrote(built):
    assert built["path"].is_file()
    assert built["path"].suffix == ".html"
    assert [p.name for p in built["folder"].iterdir()] == [built["path"].name]


def test_size_is_at_most_10_mb(built):
    size = built["path"].stat().st_size
    assert size <= handout.MAX_BYTES == 10_000_000
    assert size > 4_000_000  # plotly.js really is inlined


def test_loads_nothing_from_the_network(built):
    text = built["text"]
    assert "<script src=" not in text.lower()
    parser = _Tags()
    parser.feed(text)
    fetched = ("src", "href", "srcset", "data", "poster", "action", "formaction", "xlink:href")
    for tag, attrs in parser.tags:
        assert tag not in ("link", "iframe", "img", "object", "embed", "base"), tag
        for name in fetched:
            value = (attrs.get(name) or "").strip().lower()
            assert not re.match(r"(https?:|//|ftp:|ws)", value), (tag, name, value)
    scripts = [a for t, a in parser.tags if t == "script"]
    # data, plotly.js, the explorer front end and the page's stand-in for the kernel
    assert len(scripts) == 4 and not any("src" in a for a in scripts)
    style = re.search(r"<style>(.*?)</style>", text, re.S).group(1)
    assert "url(" not in style and "@import" not in style and "http" not in style


def test_plotly_js_is_inlined_and_cannot_load_mathjax(built):
    import plotly.offline

    assert plotly.offline.get_plotlyjs()[:2000] in built["text"]
    assert "typesetMath: false" in built["text"]


def test_disclaimer_once_date_and_version(built):
    text = built["text"]
    assert len(re.findall(r"teaching model, not a clinical tool", text, re.I)) == 1
    assert dt.date.today().isoformat() in text
    assert f"painlab {pl.__version__}" in text
    assert built["data"]["meta"]["painlab_version"] == pl.__version__


# --------------------------------------------------------------------------- the numbers


def test_grid_steps_cover_every_valid_control_value(built):
    data = built["data"]
    for kind in KINDS:
        g, step = data["grid"][kind], handout.GRID_STEP[kind]
        lo, hi = LIMITS[kind]["intensity"]
        assert g["intensity"][0] == lo and g["intensity"][-1] == hi
        assert np.allclose(np.diff(g["intensity"]), step["intensity"])
        dlo, dhi = LIMITS[kind]["duration"]
        assert g["duration"][0] == dlo and g["duration"][-1] == dhi
        assert np.allclose(np.diff(g["duration"]), step["duration"])
        assert g["size"] == len(_array(g["i_index"]))
        if kind == "isometric":
            et = endurance_time(np.array(g["intensity"]))
            assert np.allclose(g["endurance"], et)
            for n, e in zip(g["n_duration"], et, strict=True):
                assert g["duration"][n - 1] <= e < g["duration"][n - 1] + step["duration"]
        else:
            assert set(g["n_duration"]) == {len(g["duration"])}


@pytest.mark.parametrize("kind", KINDS)
def test_effects_equal_predict_at_random_grid_points(built, kind):
    data = built["data"]
    rng = np.random.default_rng(hash(kind) % 2**32)
    quantum = data["meta"]["quantum"]
    half_life = data["model"]["half_life"]
    minutes = np.array(data["figures"]["time_course"]["bind"]["minutes"])
    assert len(minutes) > 50
    for pop in data["populations"]:
        v = data["values"][kind][pop]
        d = {s: _array(v["d"][s]) * v["scale"] for s in SITES}
        show = {s: _array(v["show"][s]) for s in SITES}
        outcome = _array(v["outcome"])
        for p in rng.choice(data["grid"][kind]["size"], size=N_SAMPLE, replace=False):
            r = pl.predict(_bout(data, kind, int(p)), pop)
            assert r.half_life == half_life
            assert data["outcomes"][outcome[p]] == r.outcome
            for s in SITES:
                assert d[s][p] == pytest.approx(r.at(s), abs=quantum / 2 + 1e-12)
                assert data["display"][show[s][p]] == f"{r.at(s):+.2f}"
                # the page draws the time course with the model's documented decay
                page = d[s][p] * 2.0 ** (-minutes / half_life)
                model = np.array([r.at(s, m) for m in minutes])
                np.testing.assert_allclose(page, model, rtol=0, atol=quantum / 2 + 1e-12)


@pytest.mark.parametrize("kind", KINDS)
def test_readouts_equal_readout_html_at_random_grid_points(built, kind):
    data = built["data"]
    rng = np.random.default_rng(7 + len(kind))
    for pop in data["populations"]:
        for p in rng.choice(data["grid"][kind]["size"], size=N_SAMPLE, replace=False):
            want = readout_html(pl.predict(_bout(data, kind, int(p)), pop))
            assert handout._assemble(data, kind, pop, int(p)) == want


def test_every_readout_variant_has_its_references(built):
    data = built["data"]
    for kind in KINDS:
        for pop, variants in data["readout"][kind].items():
            assert variants, (kind, pop)
            for parts in variants.values():
                text = "".join(x for x in parts if isinstance(x, str))
                assert "Sources:" in text and "doi:" in text


def _merged(data: dict, name: str, kind: str, pop: str) -> dict:
    """What the page plots for a kind and population: base figure + patch (as in the JS)."""

    def resolve(x):
        if isinstance(x, list):
            return [resolve(v) for v in x]
        if isinstance(x, dict):
            if "$blob" in x:
                return data["blobs"][x["$blob"]]
            return {k: resolve(v) for k, v in x.items()}
        return x

    def merge(base, patch):
        for k, v in patch.items():
            if isinstance(v, dict) and v.get("$delete"):
                base.pop(k, None)
            elif isinstance(v, dict) and "dtype" not in v and isinstance(base.get(k), dict):
                merge(base[k], v)
            else:
                base[k] = v
        return base

    fig = resolve(data["figures"][name]["base"])
    patch = resolve(data["figures"][name]["patch"][kind][pop])
    for i, t in patch["data"].items():
        merge(fig["data"][int(i)], t)
    merge(fig["layout"], patch["layout"])
    return fig


def test_dose_maps_are_the_figure_builders_surface_and_study_arms(built):
    data = built["data"]
    for kind in KINDS:
        for pop in data["populations"]:
            fig = _merged(data, "dose_map", kind, pop)
            ref = figures.plot_dose_map(kind, pop)
            heat = fig["data"][0]
            z = _array(heat["z"]).reshape([int(n) for n in heat["z"]["shape"].split(",")])
            want = hypoalgesia.effect_grid(kind, pop, ref.data[0].x, ref.data[0].y)
            np.testing.assert_array_equal(np.isnan(z), np.isnan(want))
            np.testing.assert_allclose(z, want, rtol=0, atol=1e-12)
            assert fig["layout"]["title"]["text"] == ref.layout.title.text
            assert fig["layout"]["xaxis"]["title"]["text"] == ref.layout.xaxis.title.text
            for got, exp in zip(fig["data"][2:5], ref.data[2:5], strict=True):
                assert list(got["text"]) == list(exp.text)  # hover: study, dose, DOI
                assert all(("doi:" in t) or ("PMID" in t) for t in got["text"])


def test_time_course_markers_follow_kind_and_population(built):
    data = built["data"]
    for kind in KINDS:
        for pop in data["populations"]:
            fig = _merged(data, "time_course", kind, pop)
            ref = figures.plot_time_course(pl.predict(Bout(kind, 50, 1), pop))
            assert list(fig["data"][4].get("text", [])) == list(ref.data[4].text)


# --------------------------------------------------------------------------- options, errors


@pytest.fixture(scope="module")
def small(tmp_path_factory):
    """One small handout (one population, an isometric start), shared by the option tests."""
    folder = tmp_path_factory.mktemp("small")
    import contextlib
    import io

    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        path = pl.export_handout(
            folder / "iso.html",
            kind="isometric",
            intensity=25,
            to_failure=True,
            population="healthy",
            populations=["healthy"],
        )
    return {"path": path, "printed": out.getvalue()}


def test_fewer_populations_make_a_smaller_file(small, built):
    data = _payload(small["path"].read_text(encoding="utf-8"))
    assert data["populations"] == ["healthy"]
    assert small["path"].stat().st_size < built["path"].stat().st_size


def test_start_state_is_the_requested_bout(small):
    data = _payload(small["path"].read_text(encoding="utf-8"))
    assert data["start"]["kind"] == "isometric" and data["start"]["to_failure"]
    assert _bout(data, "isometric", data["start"]["point"]) == Bout(
        "isometric", 25, to_failure=True
    )


def test_export_prints_the_size(small):
    assert re.search(r"Wrote .*iso\.html \(\d+\.\d MB\)", small["printed"])


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"path": "handout.pdf"}, "path must end in .html"),
        ({"kind": "yoga"}, "kind must be one of"),
        ({"intensity": 5}, "intensity must be between 20 and 100 % VO2max"),
        ({"populations": ["martians"]}, "populations must be a non-empty selection"),
        ({"populations": []}, "populations must be a non-empty selection"),
        ({"population": "older", "populations": ["healthy"]}, "population must be one of"),
    ],
)
def test_bad_input_raises_clear_errors(tmp_path, kwargs, message):
    kwargs = {"path": tmp_path / "h.html", **kwargs}
    with pytest.raises(ValueError, match=re.escape(message)):
        pl.export_handout(**kwargs, verbose=False)
    assert not (tmp_path / "h.html").exists()


def test_too_large_a_handout_is_refused(tmp_path, monkeypatch):
    monkeypatch.setattr(handout.page, "MAX_BYTES", 1_000_000)
    with pytest.raises(ValueError, match="above the 1 MB limit"):
        pl.export_handout(tmp_path / "h.html", populations=["healthy"], verbose=False)
    assert not (tmp_path / "h.html").exists()


def test_text_is_escaped_for_an_inline_script():
    data = {"x": "</script><script>alert(1)</script>"}
    text = handout._script_json(data)
    assert "</" not in text and json.loads(text) == data


# --------------------------------------------------------------------------- slides


@pytest.fixture(scope="module")
def slides(tmp_path_factory):
    folder = tmp_path_factory.mktemp("slides")
    return folder, pl.export_figures(folder)


def test_export_figures_writes_every_figure_as_png_and_svg(slides):
    folder, paths = slides
    stems = list(handout.FIGURES)
    assert [p.name for p in paths] == [f"{s}.{f}" for s in stems for f in ("png", "svg")]
    assert sorted(p.name for p in folder.iterdir()) == sorted(p.name for p in paths)


def test_pngs_are_1920_by_1080(slides):
    for p in slides[1]:
        if p.suffix == ".png":
            head = p.read_bytes()[:24]
            assert head[:8] == b"\x89PNG\r\n\x1a\n", p
            assert struct.unpack(">II", head[16:24]) == (1920, 1080), p


def test_svgs_parse_and_are_1920_by_1080(slides):
    for p in slides[1]:
        if p.suffix == ".svg":
            root = ET.parse(p).getroot()
            assert root.tag.endswith("svg"), p
            assert float(root.get("width")) == 1920 and float(root.get("height")) == 1080, p
            text = html.unescape(p.read_text(encoding="utf-8"))
            assert "<image" not in text or "data:image" in text  # nothing external


def test_export_figures_one_format(tmp_path):
    paths = pl.export_figures(tmp_path, formats=("svg",), bout=Bout("isometric", 25, 3))
    assert len(paths) == len(handout.FIGURES) and all(p.suffix == ".svg" for p in paths)


@pytest.mark.parametrize(
    ("kwargs", "error", "message"),
    [
        ({"formats": ("png", "gif")}, ValueError, "formats must be a non-empty selection of"),
        ({"formats": ()}, ValueError, "formats must be a non-empty selection of"),
        ({"width": 0}, ValueError, "width must be a whole number of pixels"),
        ({"height": 1080.5}, ValueError, "height must be a whole number of pixels"),
        ({"bout": "aerobic"}, TypeError, "bout must be a painlab.Bout"),
        ({"population": "martians"}, ValueError, "population must be one of"),
        ({"browser_path": "/no/such/chromium"}, FileNotFoundError, "no browser at"),
    ],
)
def test_export_figures_bad_input(tmp_path, kwargs, error, message):
    with pytest.raises(error, match=re.escape(message)):
        pl.export_figures(tmp_path / "slides", **kwargs)
    assert not list(tmp_path.glob("slides/*"))
