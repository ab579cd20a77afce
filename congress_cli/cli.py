"""``congress``: start the system, measure it, keep the event catalogue."""
from __future__ import annotations

import os
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from .faces import faces_app

app = typer.Typer(help="Đại hội Công đoàn: run the congress system, benchmarks and tools.", no_args_is_help=True)
bench_app = typer.Typer(help="Benchmarks: print figures and the ratio to a baseline measured in the same run.")
app.add_typer(bench_app, name="bench")
app.add_typer(faces_app, name="faces")


class BusKind(StrEnum):
    inprocess = "inprocess"
    redis = "redis"
    kafka = "kafka"


@app.command()
def up(
    distributed: Annotated[bool, typer.Option(help="Each service in its own process, PostgreSQL and a broker")] = False,
    bus: Annotated[BusKind | None, typer.Option(
        help="Event bus (default: inprocess embedded, redis distributed; kafka without KAFKA_BOOTSTRAP_SERVERS "
             "starts the bundled tansu)")] = None,
    host: Annotated[str, typer.Option()] = "127.0.0.1",
    port: Annotated[int, typer.Option(envvar="PORT")] = 8000,
    data_dir: Annotated[Path, typer.Option(envvar="CONGRESS_DATA_DIR")] = Path("var"),
) -> None:
    """Start the whole system on http://HOST:PORT (embedded by default: one process, SQLite)."""
    if distributed:
        from .distributed import run_distributed

        raise typer.Exit(run_distributed(host=host, port=port, bus=(bus or BusKind.redis).value, data_dir=data_dir))
    import uvicorn
    from congress_common.logging import configure_logging
    from congress_common.settings import ServiceSettings

    from .embedded import build_embedded_app
    from .tansu import kafka_broker

    configure_logging(json=False)
    bus_kind = (bus or BusKind.inprocess).value
    with kafka_broker(bus_kind, data_dir) as bus_env:
        os.environ.update(bus_env)  # read by the settings of the gateway and the services
        application = build_embedded_app(data_dir, bus_kind=bus_kind, redis_url=os.environ.get("REDIS_URL"),
                                         admin_password=os.environ.get("CONGRESS_ADMIN_PASSWORD"),
                                         bus_namespace=os.environ.get("CONGRESS_BUS_NAMESPACE", "congress"))
        password_note = "CONGRESS_ADMIN_PASSWORD" if os.environ.get("CONGRESS_ADMIN_PASSWORD") else "admin"
        typer.echo(f"Đại hội Công đoàn: http://{host}:{port}  (đăng nhập: admin / {password_note}; bus: {bus_kind})")
        uvicorn.run(application, host=host, port=port, log_level="warning",
                    timeout_keep_alive=ServiceSettings().keep_alive_seconds)


@bench_app.command("events")
def bench_events(
    checkins: Annotated[int, typer.Option(help="Check-ins measured per bus")] = 200,
    json_output: Annotated[bool, typer.Option("--json", help="Print the figures as one JSON object last")] = False,
) -> None:
    """Check-in request → its event on the SSE stream, p50/p99, in-process, Redis and Kafka bus; RSS of the embedded run."""
    from .bench import run_events_bench

    raise typer.Exit(run_events_bench(checkins=checkins, json_output=json_output))


@bench_app.command("seating")
def bench_seating(
    json_output: Annotated[bool, typer.Option("--json", help="Print the figures as one JSON object last")] = False,
) -> None:
    """Automatic placement of 1,100 and 10,000 people: time, split delegations against the exact minimum, RSS."""
    from .bench_seating import run_seating_bench

    raise typer.Exit(run_seating_bench(json_output=json_output))


@bench_app.command("faults")
def bench_faults(
    delegates: Annotated[int, typer.Option(help="Delegates checking in during the storm")] = 1100,
    outage: Annotated[float, typer.Option(help="Seconds the broker is away (Redis bus)")] = 30,
    json_output: Annotated[bool, typer.Option("--json", help="Print the figures as one JSON object last")] = False,
) -> None:
    """Check-in storm on the distributed run with kill -9 of each process and the broker away, per bus:
    sent, accepted, present, lost, duplicated, max_lag_s; exit 1 when anything was lost or counted twice."""
    from .bench_faults import run_faults_bench

    raise typer.Exit(run_faults_bench(delegates=delegates, outage_s=outage, json_output=json_output))


@app.command()
def verify(
    url: Annotated[str, typer.Option(help="The gateway")] = "http://127.0.0.1:8000",
    username: Annotated[str, typer.Option()] = "admin",
    password: Annotated[str, typer.Option(envvar="CONGRESS_ADMIN_PASSWORD",
                                          help="Default: CONGRESS_ADMIN_PASSWORD, else the embedded demo's")] = "admin",  # noqa: S107 - the embedded demo's
    congress: Annotated[list[str] | None, typer.Option(help="Only these congress ids (default: all)")] = None,
    json_output: Annotated[bool, typer.Option("--json", help="Also print the differences as one JSON object last")] = False,
) -> None:
    """After an incident: compare each service's read model (seating, documents) with the check-in roster and
    attendance, print the differences; exit 1 when there is any."""
    from .verify import run_verify

    raise typer.Exit(run_verify(url, username, password, congress or [], json_output))


@bench_app.command("documents")
def bench_documents(
    delegates: Annotated[int, typer.Option(help="Delegates opening the document at once")] = 1100,
    json_output: Annotated[bool, typer.Option("--json", help="Print the figures as one JSON object last")] = False,
) -> None:
    """1,100 delegates open the same 5 MB, 40-page PDF: first page p50/p95, MB/s against a static server, watermark."""
    from .bench_documents import run_documents_bench

    raise typer.Exit(run_documents_bench(delegates=delegates, json_output=json_output))


@bench_app.command("print")
def bench_print(
    delegates: Annotated[int, typer.Option(min=1, max=3000, help="Delegates on the roster")] = 1100,
    json_output: Annotated[bool, typer.Option("--json", help="Print the figures as one JSON object last")] = False,
) -> None:
    """Invitations and badges for 1,100 delegates and the credentials report: seconds each, a concurrent request's
    latency while printing against the same request idle, RSS."""
    from .bench_print import run_print_bench

    raise typer.Exit(run_print_bench(delegates=delegates, json_output=json_output))


SHARED_FACES = Path(__file__).resolve().parents[2] / "shared" / "faces"


@bench_app.command("checkin")
def bench_checkin(
    gallery: Annotated[Path, typer.Option(help="One sub-folder of enrolment photos per identity")] = SHARED_FACES / "gallery",
    probes: Annotated[Path, typer.Option(help="Photos of the same identities, sent as 720p frames")] = SHARED_FACES / "probes",
    kiosks: Annotated[int, typer.Option(min=1, max=64, help="Concurrent kiosks")] = 4,
    requests: Annotated[int, typer.Option(min=10, help="Face check-in requests in all")] = 300,
    json_output: Annotated[bool, typer.Option("--json", help="Print the figures as one JSON object last")] = False,
) -> None:
    """Face check-ins through the gateway, 1,100 enrolled, concurrent kiosks; the naive pipeline in the same run."""
    from .bench_checkin import run_checkin_bench

    raise typer.Exit(run_checkin_bench(gallery_dir=gallery, probes_dir=probes, kiosks=kiosks, requests=requests,
                                       json_output=json_output))


@app.command()
def catalogue(
    check: Annotated[bool, typer.Option(help="Fail if the checked-in catalogue is stale")] = False,
    output: Annotated[Path, typer.Option()] = Path("docs/events"),
) -> None:
    """Write the event catalogue (AsyncAPI + Markdown) and the browser's event names, generated from the contracts."""
    from congress_common.contracts.catalogue import write_catalogue
    from congress_gateway.web_assets import WEB_LIB

    stale = write_catalogue(output, check=check, browser_dir=WEB_LIB)
    if check and stale:
        typer.echo(f"stale: {', '.join(stale)}: run `congress catalogue`", err=True)
        raise typer.Exit(1)
    typer.echo("event catalogue up to date" if check else f"written to {output}")


@app.command("demo-roster")
def demo_roster(
    output: Annotated[Path, typer.Argument(help="The .xlsx file to write")] = Path("danh-sach-dai-bieu.xlsx"),
    delegates: Annotated[int, typer.Option(min=1, max=3000)] = 300,
    seed: Annotated[int, typer.Option()] = 20,
) -> None:
    """Write a synthetic delegate list (Vietnamese names, Thanh Hóa delegations) to try the Excel import."""
    from congress_checkin.domain.roster_import import write_delegate_workbook
    from congress_checkin.domain.synthetic import synthetic_delegates

    output.write_bytes(write_delegate_workbook(synthetic_delegates(delegates, seed=seed)))
    typer.echo(f"{delegates} đại biểu → {output}")


if __name__ == "__main__":
    app()
