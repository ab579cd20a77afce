"""Where the browser code lives (served under ``/static``)."""
from __future__ import annotations

from pathlib import Path

WEB = Path(__file__).parent / "web"
WEB_LIB = WEB / "lib"
