"""Run every benchmark script in this folder (each writes benchmarks/results/*.json)."""

import subprocess
import sys
from pathlib import Path

for script in sorted(Path(__file__).parent.glob("*_latency.py")):
    print(f"== {script.name}", flush=True)
    subprocess.run([sys.executable, str(script)], check=True)
