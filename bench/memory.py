"""Memory (RSS) of a node process with the English redaction pipeline loaded.

Each measurement runs in a fresh interpreter, which reads its own VmRSS (now) and VmHWM (peak)
from /proc/self/status: after importing the node, after building the Redactor (spaCy
``en_core_web_sm`` + Presidio recognizers), and after redacting N English incident texts, for
two sizes of N so the growth with work shows. Target: under 600 MB.

    python bench/memory.py [--texts 50,500] [--json out.json]
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]

# Runs in the child: prints one JSON object of stage -> {rss_mb, hwm_mb}.
CHILD = r"""
import json, sys
from pathlib import Path

def mem():
    out = {}
    for line in Path("/proc/self/status").read_text().splitlines():
        key, _, value = line.partition(":")
        if key in ("VmRSS", "VmHWM"):
            out[key] = round(int(value.split()[0]) / 1024, 1)
    return {"rss_mb": out["VmRSS"], "hwm_mb": out["VmHWM"]}

stages = {"interpreter": mem()}
import node.app, node.redaction  # the node's code, no pipeline yet
stages["node imported"] = mem()
from anonymisation.redactor import Redactor, default_redaction_config
redactor = Redactor(default_redaction_config(), b"memory-bench-secret-0123456789ab", workers=1)
redactor.redact("Warm-up: Mary Byrne called from 07700 900123.", "en")
stages["English pipeline loaded"] = mem()
texts = [json.loads(l)["text"] for l in Path(sys.argv[2]).read_text().splitlines() if l.strip()]
n = int(sys.argv[1])
batch = [texts[i % len(texts)] for i in range(n)]
for start in range(0, n, 64):
    redactor.redact_many(batch[start:start + 64], "en")
stages[f"after redacting {n} texts"] = mem()
print(json.dumps(stages))
"""


def measure(texts: int) -> dict[str, Any]:
    data = ROOT / "tests" / "data" / "pii" / "incidents-en.jsonl"
    done = subprocess.run([sys.executable, "-c", CHILD, str(texts), str(data)], cwd=ROOT,
                          capture_output=True, text=True, check=True)
    return dict(json.loads(done.stdout.strip().splitlines()[-1]))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--texts", default="50,500", help="sizes of the redaction run")
    parser.add_argument("--json", type=Path, default=None)
    args = parser.parse_args()
    runs = [{"texts": int(n), "stages": measure(int(n))} for n in args.texts.split(",")]
    print("| texts redacted | stage | RSS MB | peak (HWM) MB |")
    print("|---:|---|---:|---:|")
    for run in runs:
        for stage, m in run["stages"].items():
            print(f"| {run['texts']} | {stage} | {m['rss_mb']} | {m['hwm_mb']} |")
    if args.json:
        args.json.write_text(json.dumps({"target_mb": 600, "runs": runs}, indent=2),
                             encoding="utf-8")


if __name__ == "__main__":
    main()
