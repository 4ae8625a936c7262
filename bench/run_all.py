"""Run every bench/bench_*.py in turn and print what each reports; exit 1 if one fails."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path


def main() -> int:
    failed = 0
    for bench in sorted(Path(__file__).resolve().parent.glob("bench_*.py")):
        print(f"== {bench.name}", flush=True)
        code = subprocess.call([sys.executable, str(bench)])
        if code:
            print(f"{bench.name} exited {code}", flush=True)
            failed += 1
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
