"""Make sure the browser tests have their browser: Debian's Chromium at /usr/bin/chromium.

On a Debian/Ubuntu machine where we are root, install it (``apt-get install chromium``);
anywhere else, stop with a message that says exactly what to install. Browser tests never
skip: a missing browser is a failure, stated here before the suite starts.
"""

import os
import shutil
import subprocess
import sys

CHROMIUM = "/usr/bin/chromium"


def main() -> int:
    if os.path.exists(CHROMIUM):
        return 0
    if os.geteuid() == 0 and shutil.which("apt-get"):
        print("painlab: installing Debian's chromium for the browser tests ...", flush=True)
        env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
        for cmd in (["apt-get", "update"], ["apt-get", "install", "-y", "chromium"]):
            if subprocess.call(cmd, env=env) != 0 and subprocess.call(cmd, env=env) != 0:
                break
        if os.path.exists(CHROMIUM):
            return 0
    print(
        f"painlab: the browser tests need Chromium at {CHROMIUM}, and it is missing.\n"
        "  On Debian/Ubuntu: sudo apt-get install chromium   (then run `make test` again)",
        file=sys.stderr,
    )
    return 1


if __name__ == "__main__":
    sys.exit(main())
