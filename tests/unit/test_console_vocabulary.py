"""The console's copy of the documents service's vocabulary (web/lib/programme.js) says what the service says:
the same codes, and the same Vietnamese labels for categories and audiences, so a new category is not forgotten."""
from __future__ import annotations

import re

from congress_common.contracts import AnnouncementPriority
from congress_documents.domain.rules import AUDIENCE_LABELS, CATEGORY_LABELS, ReleaseMode
from congress_gateway.web_assets import WEB_LIB


def pairs(name: str) -> dict[str, str]:
    source = (WEB_LIB / "programme.js").read_text(encoding="utf-8")
    block = re.search(rf"export const {name} = \[(.*?)\];", source, re.S)
    assert block, name
    return dict(re.findall(r"\['([a-z_]+)', '([^']+)'\]", block[1]))


def test_categories_and_audiences_are_the_services():
    assert pairs("CATEGORIES") == {str(k): v for k, v in CATEGORY_LABELS.items()}
    assert pairs("AUDIENCES") == {str(k): v for k, v in AUDIENCE_LABELS.items()}


def test_release_modes_and_priorities_are_the_services():
    assert set(pairs("RELEASES")) == {str(m) for m in ReleaseMode}
    assert set(pairs("PRIORITIES")) == {str(p.value) for p in AnnouncementPriority}
