"""The fault tests run the evidence scenarios (bench/scenarios) with small counts."""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
# bench/ is not an installed package; the scenarios import as bench.scenarios.*
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))
