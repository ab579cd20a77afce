"""The roster's uploaded workbooks, parsed in the shared worker process (``congress_common.workbooks``)."""
from __future__ import annotations

from congress_common.workbooks import WorkbookLimits, WorkbookWorker

from ..domain.roster_import import ImportFileError, ParsedRoster, parse_delegate_workbook

__all__ = ["WorkbookLimits", "WorkbookParser"]


class WorkbookParser(WorkbookWorker[ParsedRoster]):
    """Parses delegate lists off the event loop, under the time and memory limits."""

    def __init__(self, limits: WorkbookLimits | None = None) -> None:
        super().__init__(parse_delegate_workbook, ImportFileError, limits)
