"""Browser-test harness: our own JupyterLab and Voilà servers, and headless Chromium.

Every server here is started by these fixtures on a free 127.0.0.1 port with a random
token, waited for, and always stopped (its whole process group, then any kernel it left
behind). The browser is Debian's Chromium at /usr/bin/chromium, driven by Playwright; it
is never downloaded, and a missing browser fails the run: browser tests never skip.

The ``page`` fixture records every request and WebSocket the page opens and fails the
test if any of them leaves the machine (the lessons must work in a lecture hall without
Wi-Fi). It also saves a 1920x1080 screenshot of each test to ``test-artifacts/``.

The helpers above the fixtures are plain functions: tests reach them through the
``harness`` fixture (never ``from conftest import``: pytest may hold another conftest under
that name), and ``benchmarks/browser_latency.py`` loads this file by path to start the same
servers and browser without pytest.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import secrets
import shlex
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import types
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote, urlsplit

import pytest

from painlab._chromium import ARGS as CHROMIUM_ARGS
from painlab._chromium import CHROMIUM

REPO = Path(__file__).resolve().parents[2]
NOTEBOOKS = REPO / "notebooks"
ARTIFACTS = REPO / "test-artifacts"
SCREENSHOTS = REPO / "docs" / "screenshots"
BIN = Path(sys.executable).parent  # the environment these tests run in (.venv/bin)

VIEWPORT = {"width": 1920, "height": 1080}
LOCAL_HOSTS = {"127.0.0.1", "localhost", "::1", "[::1]"}
LOCAL_SCHEMES = {"data", "blob", "about"}

SERVER_START_TIMEOUT = 90  # s; a cold JupyterLab on 2 busy cores takes ~5-15 s
SERVER_STOP_TIMEOUT = 20  # s of graceful shutdown before SIGKILL

#: Lab settings for the test servers only: never autosave, so running a lesson in the
#: browser can never write outputs back into the committed notebooks.
TEST_USER_SETTINGS = {
    "@jupyterlab/docmanager-extension/plugin.jupyterlab-settings": {"autosave": False},
}


# --------------------------------------------------------------------------- servers


@dataclass
class Server:
    """A running server we started: where it listens and how to stop it."""

    name: str
    url: str  # base URL, ending in "/"
    token: str
    proc: subprocess.Popen
    log: Path
    runtime_dir: Path
    extra: dict = field(default_factory=dict)

    def link(self, path: str, **query: str) -> str:
        """``url + path`` with the token (and ``query``) appended."""
        params = "&".join(f"{k}" if v == "" else f"{k}={quote(str(v))}" for k, v in query.items())
        sep = "&" if "?" in path else "?"
        return f"{self.url}{path}{sep}token={self.token}" + (f"&{params}" if params else "")

    def log_tail(self, n: int = 60) -> str:
        try:
            return "\n".join(self.log.read_text(errors="replace").splitlines()[-n:])
        except OSError:
            return "(no log)"


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait_until_ready(server: Server, probe_path: str, timeout: float) -> None:
    """Poll ``probe_path`` until it answers 200; fail with the server log if it dies."""
    deadline = time.monotonic() + timeout
    url = server.link(probe_path)
    last = ""
    while time.monotonic() < deadline:
        if server.proc.poll() is not None:
            raise RuntimeError(
                f"{server.name} exited with code {server.proc.returncode} before it was "
                f"ready. Log ({server.log}):\n{server.log_tail()}"
            )
        try:
            with urllib.request.urlopen(url, timeout=5) as resp:
                if resp.status == 200:
                    return
                last = f"HTTP {resp.status}"
        except (urllib.error.URLError, OSError) as e:
            last = repr(e)
        time.sleep(0.25)
    raise RuntimeError(
        f"{server.name} was not ready after {timeout:.0f} s ({url}: {last}). "
        f"Log ({server.log}):\n{server.log_tail()}"
    )


def _kernel_dirs(server: Server) -> list[bytes]:
    """Where the server keeps kernel connection files: our runtime dir, and Voilà's own."""
    dirs = [str(server.runtime_dir)]
    with contextlib.suppress(OSError):
        dirs += re.findall(r"Storing connection files in (\S+?)\.?$", server.log.read_text(), re.M)
    return [d.encode() for d in dirs]


def _kernels_left_behind(server: Server) -> list[int]:
    """PIDs of processes (kernels) whose command line names one of the server's kernel dirs."""
    pids = []
    needles = _kernel_dirs(server)
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit() or int(entry.name) == os.getpid():
            continue
        try:
            cmdline = (entry / "cmdline").read_bytes()
        except OSError:
            continue
        if any(needle in cmdline for needle in needles):
            pids.append(int(entry.name))
    return pids


def stop_server(server: Server) -> None:
    """Stop a server's process group: SIGTERM, wait, SIGKILL; then its stray kernels."""
    proc = server.proc
    if proc.poll() is None:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGTERM)  # the server shuts its kernels down
        try:
            proc.wait(SERVER_STOP_TIMEOUT)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(10)
    # Kernels run in their own sessions (jupyter_client start_new_session=True), so the
    # group kill does not reach them; a graceful shutdown does. Kill any that survived.
    for pid in _kernels_left_behind(server):
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.kill(pid, signal.SIGKILL)


def shutdown_kernels(server: Server) -> None:
    """Shut down every kernel of a Jupyter server (REST API), so tests do not pile them up."""

    def call(method: str, path: str):
        req = urllib.request.Request(
            server.url + path,
            method=method,
            headers={"Authorization": f"token {server.token}"},
        )
        with urllib.request.urlopen(req, timeout=30) as resp:
            body = resp.read()
        return json.loads(body) if body else None

    with contextlib.suppress(urllib.error.URLError, OSError, ValueError):
        for kernel in call("GET", "api/kernels") or []:
            with contextlib.suppress(urllib.error.URLError, OSError):
                call("DELETE", f"api/kernels/{kernel['id']}")


def _environment(runtime_dir: Path) -> dict[str, str]:
    env = dict(os.environ)
    env["PATH"] = f"{BIN}{os.pathsep}{env.get('PATH', '')}"
    env["JUPYTER_RUNTIME_DIR"] = str(runtime_dir)
    env["PYTHONUNBUFFERED"] = "1"
    for var in ("JUPYTER_TOKEN", "JUPYTER_PASSWORD"):  # our token, not the caller's
        env.pop(var, None)
    return env


def _spawn(name: str, cmd: list[str], workdir: Path, cwd: Path) -> tuple[subprocess.Popen, Path]:
    log = workdir / f"{name}.log"
    runtime_dir = workdir / "runtime"
    runtime_dir.mkdir(parents=True, exist_ok=True)
    with open(log, "wb") as out:
        proc = subprocess.Popen(
            cmd,
            cwd=cwd,
            env=_environment(runtime_dir),
            stdin=subprocess.DEVNULL,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group, so we can stop all of it
        )
    return proc, log


@contextlib.contextmanager
def jupyter_lab(root_dir: Path, workdir: Path | None = None) -> Iterator[Server]:
    """Run JupyterLab on ``root_dir`` (127.0.0.1, free port, random token) until exit.

    Same front end as ``make lab`` (the environment's lab settings overrides apply), plus
    for testing: ``window.jupyterapp`` exposed, a private runtime/workspaces/user-settings
    dir, and autosave off so the lessons on disk are never rewritten.
    """
    workdir = Path(workdir or tempfile.mkdtemp(prefix="painlab-lab-"))
    workdir.mkdir(parents=True, exist_ok=True)
    settings = workdir / "user-settings"
    for rel, value in TEST_USER_SETTINGS.items():
        path = settings / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(value))
    (workdir / "workspaces").mkdir(exist_ok=True)
    port, token = free_port(), secrets.token_hex(24)
    cmd = [
        str(BIN / "jupyter"),
        "lab",
        "--no-browser",
        "--ServerApp.ip=127.0.0.1",
        f"--ServerApp.port={port}",
        "--ServerApp.port_retries=0",
        f"--ServerApp.root_dir={root_dir}",
        f"--IdentityProvider.token={token}",
        "--ServerApp.allow_root=True",
        "--LabApp.expose_app_in_browser=True",
        f"--LabApp.user_settings_dir={settings}",
        f"--LabApp.workspaces_dir={workdir / 'workspaces'}",
        "--LabApp.extension_manager=readonly",  # no PyPI look-ups from the server
    ]
    proc, log = _spawn("jupyterlab", cmd, workdir, cwd=root_dir)
    server = Server(
        "JupyterLab", f"http://127.0.0.1:{port}/", token, proc, log, workdir / "runtime"
    )
    try:
        _wait_until_ready(server, "api/status", SERVER_START_TIMEOUT)
        yield server
    finally:
        stop_server(server)


def present_command(port: int) -> list[str]:
    """The command ``make present PORT=<port>`` runs, read from the Makefile itself.

    ``make -n`` prints the recipe without running it; we keep the line that starts Voilà.
    So the test serves the lecture exactly as a lecturer does.
    """
    make = shutil.which("make")
    if make is None:
        raise RuntimeError("`make` is needed to read the `present` target from the Makefile")
    out = subprocess.run(
        [make, "-n", "--no-print-directory", "present", f"PORT={port}"],
        cwd=REPO,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    out = re.sub(r"\\\n", " ", out)  # join continued lines
    for line in out.splitlines():
        argv = shlex.split(line)
        if argv and Path(argv[0]).name == "voila":
            return argv
    raise RuntimeError(f"no voila command in `make -n present`:\n{out}")


@contextlib.contextmanager
def voila_present(workdir: Path | None = None) -> Iterator[Server]:
    """Run ``make present``'s Voilà command on a free port with a token, until exit."""
    workdir = Path(workdir or tempfile.mkdtemp(prefix="painlab-voila-"))
    workdir.mkdir(parents=True, exist_ok=True)
    port, token = free_port(), secrets.token_hex(24)
    argv = present_command(port)
    exe = argv[0] if os.path.isabs(argv[0]) else str(REPO / argv[0])
    cmd = [exe, *argv[1:], "--no-browser", f"--token={token}", "--Voila.port_retries=0"]
    proc, log = _spawn("voila", cmd, workdir, cwd=REPO)
    server = Server("Voilà", f"http://127.0.0.1:{port}/", token, proc, log, workdir / "runtime")
    server.extra["cmd"] = cmd
    try:
        # A static file answers without executing the notebook (GET / would run it).
        _wait_until_ready(server, "voila/static/voila.js", SERVER_START_TIMEOUT)
        yield server
    finally:
        stop_server(server)


@contextlib.contextmanager
def voila_notebooks(root_dir: Path, workdir: Path | None = None) -> Iterator[Server]:
    """Voilà serving the notebooks in ``root_dir`` at ``voila/render/<name>`` with the
    painlab template (offline, as ``make present``), on a free port with a token."""
    workdir = Path(workdir or tempfile.mkdtemp(prefix="painlab-voila-"))
    workdir.mkdir(parents=True, exist_ok=True)
    port, token = free_port(), secrets.token_hex(24)
    cmd = [
        str(BIN / "voila"),
        str(root_dir),
        "--no-browser",
        f"--port={port}",
        "--Voila.ip=127.0.0.1",
        "--Voila.port_retries=0",
        f"--token={token}",
        "--template=painlab",  # the stock template links fonts from a CDN; this one does not
        "--theme=light",
    ]
    proc, log = _spawn("voila-notebooks", cmd, workdir, cwd=root_dir)
    server = Server("Voilà", f"http://127.0.0.1:{port}/", token, proc, log, workdir / "runtime")
    try:
        _wait_until_ready(server, "voila/static/voila.js", SERVER_START_TIMEOUT)
        yield server
    finally:
        stop_server(server)


# --------------------------------------------------------------------------- browser


def launch_chromium(playwright):
    """Debian's Chromium, headless, with background networking off. Never downloaded."""
    if not os.path.exists(CHROMIUM):
        raise FileNotFoundError(
            f"The browser tests need Chromium at {CHROMIUM} and it is missing. "
            "On Debian/Ubuntu: apt-get install chromium (or run scripts/check_browser.py)."
        )
    return playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)


def is_local(url: str) -> bool:
    """True if loading ``url`` stays on this machine (127.0.0.1, localhost, data:, blob:)."""
    parts = urlsplit(url)
    if parts.scheme in LOCAL_SCHEMES:
        return True
    return (parts.hostname or "") in LOCAL_HOSTS


_ERROR_MSG = re.compile(r'"msg_type":\s*"error"')
_ENAME = re.compile(r'"ename":\s*"((?:[^"\\]|\\.)*)"')
_EVALUE = re.compile(r'"evalue":\s*"((?:[^"\\]|\\.)*)"')


class RequestLog:
    """Every URL a browser context asks for (HTTP requests and WebSockets), and every
    error a kernel reports over those WebSockets (e.g. an exception in a widget callback,
    which no cell shows)."""

    #: Kernel errors raised inside plotly's own FigureWidget code: none are tolerated.
    #: (plotly 7.1's ``_handler_js2py_traceDeltas`` tests ``if not value`` and raised on
    #: numpy arrays; painlab now sends plain lists, and this test holds it to that.)
    UPSTREAM = ()

    def __init__(self) -> None:
        self.urls: list[str] = []
        self.kernel_errors: list[str] = []
        self.upstream_errors: list[str] = []

    def attach(self, context) -> None:
        context.on("request", lambda req: self.urls.append(req.url))
        context.on("page", self._attach_page)

    def _attach_page(self, page) -> None:
        page.on("websocket", self._attach_websocket)

    def _attach_websocket(self, ws) -> None:
        self.urls.append(ws.url)
        ws.on("framereceived", self._frame)

    def _frame(self, payload) -> None:
        text = payload.decode("utf-8", "replace") if isinstance(payload, bytes) else payload
        if "error" in text and _ERROR_MSG.search(text):
            ename, evalue = _ENAME.search(text), _EVALUE.search(text)
            error = f"{ename.group(1) if ename else '?'}: {evalue.group(1) if evalue else '?'}"
            if any(marker in text for marker in self.UPSTREAM):
                self.upstream_errors.append(f"{error} (in plotly's {self.UPSTREAM[0]})")
            else:
                self.kernel_errors.append(error)

    def external(self) -> list[str]:
        return sorted({u for u in self.urls if not is_local(u)})


def wait_for_lab(page, timeout: float = 60_000) -> None:
    """Wait until JupyterLab's shell is up and ``window.jupyterapp`` is exposed."""
    page.wait_for_function(
        "() => window.jupyterapp && window.jupyterapp.shell"
        " && document.querySelector('#jp-main-dock-panel')",
        timeout=timeout,
    )


def open_notebook(page, server: Server, name: str, timeout: float = 90_000) -> None:
    """Open ``name`` in JupyterLab (fresh workspace) and wait until its kernel is ready."""
    page.goto(server.link(f"lab/tree/{quote(name)}", reset=""), timeout=timeout)
    wait_for_lab(page, timeout)
    page.wait_for_function(
        """(name) => {
            const w = window.jupyterapp.shell.currentWidget;
            return w && w.context && w.context.path.endsWith(name)
                && w.content && w.content.widgets && w.content.widgets.length > 0
                && w.sessionContext && w.sessionContext.session
                && w.sessionContext.session.kernel
                && w.sessionContext.session.kernel.connectionStatus === 'connected'
                && w.sessionContext.session.kernel.status === 'idle';
        }""",
        arg=name,
        timeout=timeout,
        polling=250,
    )


def run_all_cells(page, timeout: float = 240_000) -> dict:
    """Run All through JupyterLab's own command; wait for the kernel to go idle.

    Returns ``{"ok": bool, "cells": n, "unexecuted": [...]}``.
    """
    page.evaluate(
        """async () => {
            const app = window.jupyterapp;
            window.__painlabRunAll = 'running';
            app.commands.execute('notebook:run-all-cells').then(
                (ok) => { window.__painlabRunAll = ok === false ? 'failed' : 'done'; },
                (e) => { window.__painlabRunAll = 'error: ' + e; },
            );
        }"""
    )
    page.wait_for_function(
        """() => {
            if (window.__painlabRunAll === 'running') return false;
            const w = window.jupyterapp.shell.currentWidget;
            const k = w.sessionContext.session && w.sessionContext.session.kernel;
            return k && k.status === 'idle';
        }""",
        timeout=timeout,
        polling=250,
    )
    return page.evaluate(
        """() => {
            const w = window.jupyterapp.shell.currentWidget;
            const cells = w.content.widgets.filter((c) => c.model.type === 'code');
            return {
                status: window.__painlabRunAll,
                cells: cells.length,
                unexecuted: cells
                    .map((c, i) => [i, c.model.executionCount])
                    .filter(([i, n]) => n === null)
                    .map(([i]) => i),
            };
        }"""
    )


def safe_name(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9_.-]+", "_", text).strip("_")[:120]


def publish_screenshot(src: Path, name: str) -> Path | None:
    """Copy a screenshot to docs/screenshots/<name> when missing or when asked to.

    Set ``PAINLAB_UPDATE_SCREENSHOTS=1`` to refresh the committed screenshots; otherwise a
    test run leaves docs/ untouched once they exist.
    """
    dest = SCREENSHOTS / name
    if dest.exists() and os.environ.get("PAINLAB_UPDATE_SCREENSHOTS") != "1":
        return None
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(src, dest)
    return dest


# --------------------------------------------------------------------------- explorer

EXPLORER = ".painlab-explorer"

#: What the page drew, read from its DOM and plotly's graph divs.
PAGE_STATE = """(root) => {
    const q = (s) => root.querySelector(s);
    const trace = (name, t) => {
        const gd = q('.painlab-plot-' + name);
        return gd && gd.data ? gd.data.find((d) => d.name === t) : null;
    };
    const star = q('.painlab-star');
    const tc = q('.painlab-plot-time_course');
    return {
        drawn: Number(root.dataset.drawn || 0),
        kind: q('.painlab-control-kind select').value,
        population: q('.painlab-control-population select').value,
        muscle: q('.painlab-control-muscle select').value,
        intensity: Number(q('.painlab-control-intensity input').value),
        duration: Number(q('.painlab-control-duration input').value),
        failure: q('.painlab-controls input[type=checkbox]').checked,
        intensityText: q('.painlab-control-intensity output').textContent,
        readout: q('.painlab-page-readout').innerHTML,
        figureText: q('.painlab-figure-text').textContent,
        star: star && star.data ? [star.data[0].x[0], star.data[0].y[0]] : null,
        sites: trace('sites', 'effect'),
        lines: tc.data.filter((d) => !d.name.startsWith('plausible') && d.mode === 'lines')
                  .map((d) => ({name: d.name, y: Array.from(d.y)})),
        bands: tc.data.filter((d) => d.name.startsWith('plausible'))
                  .map((d) => ({name: d.name, y: Array.from(d.y)})),
        mechanisms: trace('mechanisms', 'mechanisms'),
    };
}"""


def explorer_state(page) -> dict:
    return page.locator(EXPLORER).first.evaluate(PAGE_STATE)


def wait_drawn(page, after: int, timeout: float = 60_000) -> dict:
    """Wait until the explorer has finished drawing a move newer than ``after``."""
    page.wait_for_function(
        "([sel, n]) => Number((document.querySelector(sel) || {dataset: {}}).dataset.drawn || 0) > n",
        arg=[EXPLORER, after],
        timeout=timeout,
        polling="raf",
    )
    return explorer_state(page)


def wait_settled(page, root: str = EXPLORER, timeout: float = 60_000) -> dict:
    """Wait until every draw the explorer has started is finished (after a drag: the last
    pointer move's), then read what it drew."""
    page.wait_for_function(
        """(sel) => {
            const b = document.querySelector(sel);
            return !!b && !!b.dataset.requested && b.dataset.drawn === b.dataset.requested;
        }""",
        arg=root,
        timeout=timeout,
        polling="raf",
    )
    return page.locator(root).first.evaluate(PAGE_STATE)


def normalised_html(page, markup: str) -> str:
    return page.evaluate(
        "(h) => { const d = document.createElement('div'); d.innerHTML = h; return d.innerHTML; }",
        markup,
    )


def assert_page_matches_model(page, st: dict) -> None:
    """What the page drew from its look-up tables equals the model at the page's dose."""
    import painlab as pl
    from painlab import figures, hypoalgesia, mechanisms
    from painlab.dashboards import Explorer, readout_html

    iso = st["kind"] == "isometric"
    bout = pl.Bout(
        st["kind"],
        st["intensity"],
        None if st["failure"] else st["duration"],
        st["failure"],
        st["muscle"] if iso else None,
    )
    r = hypoalgesia.predict(bout, st["population"])
    assert st["readout"] == normalised_html(page, readout_html(r)), bout.label
    interp = any(x.interpolated for x in r.reasons)
    assert st["figureText"] == Explorer._figure_sentence(bout.kind, r.population) + (
        Explorer._INTERPOLATES if interp else ""
    )
    assert st["star"] == pytest.approx([bout.intensity, bout.minutes], abs=0.051)
    d = figures.sites_data(r)
    assert st["sites"]["y"] == pytest.approx(d["y"], abs=1.1e-3)
    assert st["sites"]["error_y"]["array"] == pytest.approx(d["plus"], abs=2.1e-3)
    assert st["sites"]["error_y"]["arrayminus"] == pytest.approx(d["minus"], abs=2.1e-3)
    lines = figures.time_course_data(r)
    bands = figures.time_band_data(r)
    by_name = {x["name"]: x["y"] for x in st["lines"] + st["bands"]}
    for s, label in figures.SITE_LABELS.items():
        assert by_name[label] == pytest.approx(lines[s], abs=3e-4), label
        band = by_name[f"plausible range: {label.lower()}"]
        assert band == pytest.approx(bands[s]["y"], abs=3e-4), label
    style = figures.mechanisms_style(r)
    assert st["mechanisms"]["text"] == style["text"]
    assert st["mechanisms"]["marker"]["size"] == pytest.approx(style["marker"]["size"], abs=0.01)
    assert set(mechanisms.MECHANISMS)  # the figure shows every mechanism
    assert len(st["mechanisms"]["text"]) == len(mechanisms.MECHANISMS)


# --------------------------------------------------------------------------- fixtures


@pytest.fixture(scope="session")
def harness() -> types.SimpleNamespace:
    """This module's helpers and constants (``harness.open_notebook(...)``, ...)."""
    return types.SimpleNamespace(
        **{k: v for k, v in globals().items() if not k.startswith("_") and k.isidentifier()}
    )


@pytest.fixture(scope="session")
def browser():
    if not os.path.exists(CHROMIUM):
        pytest.fail(
            f"Browser tests need Chromium at {CHROMIUM}, and it is missing. "
            "Install it (Debian/Ubuntu: apt-get install chromium) or run "
            "`python scripts/check_browser.py`; these tests never skip.",
            pytrace=False,
        )
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = launch_chromium(p)
        try:
            yield b
        finally:
            b.close()


@pytest.fixture(scope="session")
def lab_server(tmp_path_factory) -> Iterator[Server]:
    """JupyterLab serving the real lessons in notebooks/."""
    with jupyter_lab(NOTEBOOKS, tmp_path_factory.mktemp("lab")) as server:
        yield server


EXPLORE_NOTEBOOK = {
    "cells": [
        {
            "cell_type": "code",
            "execution_count": None,
            "id": "explore",
            "metadata": {},
            "outputs": [],
            "source": ["import painlab as pl\n", "\n", "dash = pl.explore()\n", "dash"],
        }
    ],
    "metadata": {
        "kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"},
        "language_info": {"name": "python"},
    },
    "nbformat": 4,
    "nbformat_minor": 5,
}


def write_explore_notebook(directory: Path, name: str = "explore.ipynb") -> Path:
    """A one-cell notebook that displays the full student dashboard, pl.explore()."""
    path = Path(directory) / name
    path.write_text(json.dumps(EXPLORE_NOTEBOOK, indent=1))
    return path


@pytest.fixture(scope="session")
def scratch_lab_server(tmp_path_factory) -> Iterator[Server]:
    """JupyterLab on a throwaway root holding generated notebooks (never notebooks/)."""
    root = tmp_path_factory.mktemp("scratch-notebooks")
    write_explore_notebook(root)
    with jupyter_lab(root, tmp_path_factory.mktemp("scratch-lab")) as server:
        server.extra["root"] = root
        yield server


@pytest.fixture
def lab(lab_server) -> Iterator[Server]:
    """The lessons' JupyterLab for one test; the test's kernels are shut down after it."""
    try:
        yield lab_server
    finally:
        shutdown_kernels(lab_server)


@pytest.fixture
def scratch_lab(scratch_lab_server) -> Iterator[Server]:
    """The throwaway JupyterLab for one test; the test's kernels are shut down after it."""
    try:
        yield scratch_lab_server
    finally:
        shutdown_kernels(scratch_lab_server)


@pytest.fixture(scope="session")
def voila_server(tmp_path_factory) -> Iterator[Server]:
    """`make present`: Voilà serving notebooks/10_lecture.ipynb with the painlab template."""
    installed = Path(sys.prefix) / "share" / "jupyter" / "voila" / "templates" / "painlab"
    if not (installed / "index.html.j2").exists():
        pytest.fail(
            f"The painlab Voilà template is not installed at {installed}; run `make setup` "
            "(it links src/painlab/templates/voila/painlab there).",
            pytrace=False,
        )
    with voila_present(tmp_path_factory.mktemp("voila")) as server:
        yield server


@pytest.fixture(scope="session")
def voila_explore_server(tmp_path_factory) -> Iterator[Server]:
    """Voilà serving a throwaway notebook that displays ``pl.explore()``."""
    root = tmp_path_factory.mktemp("voila-notebooks")
    write_explore_notebook(root)
    with voila_notebooks(root, tmp_path_factory.mktemp("voila-explore")) as server:
        yield server


@pytest.fixture
def page(browser, request):
    """A fresh 1920x1080 page; fails the test if it requested anything off this machine.

    A screenshot of the final state goes to test-artifacts/<test>.png; console errors
    and page errors go to test-artifacts/<test>.console.txt.
    """
    ARTIFACTS.mkdir(exist_ok=True)
    stem = safe_name(request.node.name)
    log = RequestLog()
    context = browser.new_context(viewport=VIEWPORT, device_scale_factor=1)
    log.attach(context)
    context.set_default_timeout(30_000)
    pg = context.new_page()
    console: list[str] = []
    pg.on("console", lambda m: console.append(f"{m.type}: {m.text}") if m.type == "error" else None)
    pg.on("pageerror", lambda e: console.append(f"pageerror: {e}"))
    pg.painlab_requests = log  # tests may inspect what was loaded ...
    pg.painlab_console = console  # ... the console errors so far ...
    pg.painlab_kernel_errors = log.kernel_errors  # ... and the kernels' error messages
    try:
        yield pg
    finally:
        with contextlib.suppress(Exception):
            pg.screenshot(path=str(ARTIFACTS / f"{stem}.png"))
        (ARTIFACTS / f"{stem}.console.txt").write_text(
            "\n".join(
                console
                + [f"kernel error: {e}" for e in log.kernel_errors]
                + [f"kernel error, upstream (not failed): {e}" for e in log.upstream_errors]
            )
        )
        with contextlib.suppress(Exception):
            context.close()
    external = log.external()
    if external:
        pytest.fail(
            f"{len(external)} request(s) left the machine (must work offline):\n  "
            + "\n  ".join(external),
            pytrace=False,
        )


@pytest.fixture
def shot(page, request):
    """``shot("label")`` saves a 1920x1080 screenshot to test-artifacts/ and returns it."""
    stem = safe_name(request.node.name)

    def take(label: str) -> Path:
        path = ARTIFACTS / f"{stem}-{safe_name(label)}.png"
        page.screenshot(path=str(path))
        return path

    return take
