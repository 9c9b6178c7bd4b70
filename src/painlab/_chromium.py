"""Headless Debian Chromium as painlab's browser tests, benchmarks and slide export use it.

One place for the executable and the flags: no sandbox (CI runs as root), no GPU, and no
background networking, component updates or sync, which would otherwise try to reach the
internet from a machine (or lecture hall) that has none. A browser is never downloaded.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

CHROMIUM = "/usr/bin/chromium"

ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
    "--disable-quic",
]


def find_browser(browser_path: str | os.PathLike | None) -> str:
    """The Chromium to drive: the argument, ``$BROWSER_PATH``, then the PATH (``chromium``
    first, so Debian's :data:`CHROMIUM` is found where it is installed)."""
    candidates = [browser_path, os.environ.get("BROWSER_PATH")]
    for c in candidates:
        if c:
            if not Path(c).is_file():
                raise FileNotFoundError(f"browser_path: no browser at {str(c)!r}")
            return str(c)
    for name in ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable", "chrome"):
        found = shutil.which(name)
        if found:
            return found
    raise FileNotFoundError(
        "export_figures needs Chromium or Chrome (kaleido draws the figures in it): install "
        "the system package (e.g. apt install chromium) or pass browser_path=..."
    )
