"""``congress faces``: evaluate the face policy on a folder of photos; purge a congress's biometric data."""
from __future__ import annotations

import asyncio
import json
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

faces_app = typer.Typer(help="FaceID: accuracy on your own photos, biometric data purge.", no_args_is_help=True)
console = Console(stderr=True)

FOLDER = {"exists": True, "file_okay": False, "dir_okay": True, "resolve_path": True}


@faces_app.command("evaluate")
def evaluate_command(
    gallery: Annotated[Path, typer.Option(help="One sub-folder of enrolment photos per identity", **FOLDER)],
    probes: Annotated[Path, typer.Option(help="One sub-folder per identity (absent from the gallery: impostors)",
                                         **FOLDER)],
    json_output: Annotated[bool, typer.Option("--json", help="Print the summary as one JSON object last")] = False,
    workers: Annotated[int, typer.Option(min=1, max=16, help="Face worker processes")] = 2,
) -> None:
    """Enrol GALLERY with the production pipeline and policy, decide each probe file as one attempt."""
    from congress_checkin.adapters.face_engine import EngineLimits, ProcessPoolFaceEngine
    from congress_checkin.domain.faces.decision import FaceRules
    from congress_checkin.face_evaluation import evaluate

    async def run():
        engine = ProcessPoolFaceEngine(EngineLimits(workers=workers))
        try:
            return await evaluate(engine, gallery, probes, FaceRules(liveness=False))
        finally:
            await engine.close()

    rules = FaceRules(liveness=False)
    result = asyncio.run(run())
    _print(result)
    if json_output:
        summary = {**result.counts(), "threshold": rules.policy.accept_distance,
                   "margin": rules.policy.margin, "lookalike_distance": rules.policy.lookalike_distance,
                   "lookalike_pairs": len(result.lookalikes),
                   "lookalikes": [[p.first, p.second] for p in result.lookalikes],
                   "enrolled": len(result.enrolled), "photos_refused": len(result.refused),
                   "probes": len(result.probes),
                   "unsure": sum(p.outcome == "unsure_show_badge" for p in result.probes)}
        print(json.dumps(summary, ensure_ascii=False))
    counts = result.counts()
    raise typer.Exit(1 if counts["genuine_wrong"] or counts["impostor_accepted"] else 0)


def _print(result) -> None:
    out = Console()
    for photo, reason in result.refused:
        out.print(f"[yellow]ảnh đăng ký bị từ chối[/] {photo}: {reason}")
    out.print(f"{len(result.enrolled)} identities enrolled, {len(result.probes)} probes")
    for p in result.probes:
        style = "red" if p.category in ("genuine_wrong", "impostor_accepted") else "green" if p.category.endswith(
            ("correct", "rejected")) else "yellow"
        out.print(f"{p.path}  [{style}]{p.category}[/]  outcome={p.outcome} decided={p.decided or '—'} reason={p.reason}",
                  soft_wrap=True)
    for pair in result.lookalikes:
        out.print(f"look-alike pair (never by face alone): {pair.first} ~ {pair.second}")
    out.print(" · ".join(f"{k}: {v}" for k, v in result.counts().items()))


@faces_app.command("purge")
def purge_command(
    congress: Annotated[str, typer.Option("--congress", help="The congress id")],
    data_dir: Annotated[Path, typer.Option(envvar="CONGRESS_DATA_DIR", help="Embedded run: where its SQLite files are")]
    = Path("var"),
) -> None:
    """Delete every face template and photo of a congress (its database from DATABASE_URL, or the embedded files)."""
    from congress_checkin.bootstrap import create_app
    from congress_checkin.face_enrolment import purge_congress
    from congress_checkin.settings import CheckinSettings
    from congress_common.errors import DomainError

    settings = CheckinSettings(data_dir=data_dir)

    async def run() -> tuple[int, int]:
        service = create_app(settings, settings.create_bus())
        async with service.router.lifespan_context(service):
            async with service.state.runtime.unit_of_work() as uow:
                return await purge_congress(uow, congress)

    try:
        delegates, templates = asyncio.run(run())
    except DomainError as exc:
        console.print(f"[red]{exc.message}[/]")
        raise typer.Exit(1) from None
    typer.echo(f"Đã xóa {templates} mẫu khuôn mặt của {delegates} đại biểu (đại hội {congress})")
