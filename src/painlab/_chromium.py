"""Headless Debian Chromium as painlab's browser tests, benchmarks and slide export use it.

One place for the executable and the flags: no sandbox (CI runs as root), no GPU, and no
background networking, component updates or sync, which would otherwise try to reach the
internet from a machine (or lecture hall) that has none. A browser is never downloaded.
"""

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
