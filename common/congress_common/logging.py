"""structlog set-up: readable console lines in the embedded run, JSON lines in the distributed one.

A logged exception is rendered as a plain traceback, never structlog's rich
one with local variables (hundreds of KB per error, rendered on the event
loop that every service shares in the embedded run). Unexpected request
errors are not even that: the request guard logs one short line.
"""
from __future__ import annotations

import logging
import sys

import structlog


def configure_logging(*, json: bool = False, level: str = "INFO") -> None:
    processors: list = [
        structlog.contextvars.merge_contextvars,
        structlog.processors.add_log_level,
        structlog.processors.TimeStamper(fmt="iso", utc=True),
    ]
    renderer = (structlog.processors.JSONRenderer() if json else structlog.dev.ConsoleRenderer(
        colors=sys.stderr.isatty(), exception_formatter=structlog.dev.plain_traceback))
    if json:
        processors.append(structlog.processors.format_exc_info)
    structlog.configure(
        processors=[*processors, renderer],
        wrapper_class=structlog.make_filtering_bound_logger(logging.getLevelName(level.upper())),
        logger_factory=structlog.PrintLoggerFactory(sys.stderr),
        cache_logger_on_first_use=True,
    )
    logging.basicConfig(level=level.upper(), stream=sys.stderr, format="%(levelname)s %(name)s: %(message)s")
    # the gateway's calls to in-process services would log one line per request
    logging.getLogger("httpx").setLevel(logging.WARNING)
