"""The container deployment (docker-compose.yml, deploy/Dockerfile, deploy/requirements) against the code.

No Docker engine runs here, so these tests read the files and check them against
the packages, their settings classes and their pyprojects: a renamed setting, a
new dependency, a port that drifted or a missing healthcheck fails here before
``docker compose up`` does.
"""
from __future__ import annotations

import importlib
import importlib.metadata as metadata
import importlib.util
import os
import re
import tomllib
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import yaml
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name
from pydantic import AliasChoices

ROOT = Path(__file__).resolve().parents[2]
COMPOSE_FILE = ROOT / "docker-compose.yml"
DOCKERFILE = ROOT / "deploy" / "Dockerfile"
REQUIREMENTS = ROOT / "deploy" / "requirements"

# service name -> (project folder, settings module, settings class)
APPS = {
    "checkin": ("services/checkin", "congress_checkin.settings", "CheckinSettings"),
    "seating": ("services/seating", "congress_seating.settings", "SeatingSettings"),
    "documents": ("services/documents", "congress_documents.settings", "DocumentsSettings"),
    "gateway": ("gateway", "congress_gateway.settings", "GatewaySettings"),
}
BACKENDS = ("checkin", "seating", "documents")
INFRA = ("kafka", "postgres", "redis")
LOCAL_PREFIX = "congress-"  # our own distributions, installed from the source folders

# values the `${VAR:?...}` placeholders get when a test builds the settings
FAKE_INTERPOLATION = {
    "CONGRESS_SECRET_KEY": "s" * 48,
    "CONGRESS_ADMIN_PASSWORD": "a-long-admin-password",
    "MINIO_ROOT_PASSWORD": "a-long-minio-password",
    "CONGRESS_FACE_KEY": "QUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUE=",
}
# a requirement a pinned wheel provides under another name (requirements/overrides.txt drops the source build)
PROVIDED_BY = {"dlib": "dlib-bin"}


# --------------------------------------------------------------------------- helpers

@pytest.fixture(scope="module")
def compose() -> dict:
    return yaml.safe_load(COMPOSE_FILE.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def services(compose: dict) -> dict:
    return compose["services"]


@pytest.fixture(scope="module")
def app_services(services: dict) -> dict:
    return {name: spec for name, spec in services.items() if "build" in spec}


def environment(spec: dict) -> dict[str, str]:
    """A service's environment as a dict (compose accepts a mapping or a list of KEY=VALUE)."""
    env = spec.get("environment") or {}
    if isinstance(env, list):
        env = dict(item.split("=", 1) if "=" in item else (item, "") for item in env)
    return {str(k): "" if v is None else str(v) for k, v in env.items()}


_PLACEHOLDER = re.compile(r"\$\{(?P<name>[A-Za-z_][A-Za-z0-9_]*)(?:(?P<op>:?[-?])(?P<arg>[^}]*))?\}")


def interpolate(value: str, variables: dict[str, str]) -> str:
    """Compose's `${VAR}`, `${VAR:-default}`, `${VAR:?error}` with the given shell variables."""
    def replace(match: re.Match[str]) -> str:
        name, op, arg = match["name"], match["op"], match["arg"]
        if name in variables and (variables[name] or op not in (":-", ":?")):
            return variables[name]
        if op in (":-", "-"):
            return arg
        if op in (":?", "?"):
            raise LookupError(f"{name}: {arg}")
        return ""
    return _PLACEHOLDER.sub(replace, value)


def depends_on(spec: dict) -> dict[str, dict]:
    deps = spec.get("depends_on") or {}
    if isinstance(deps, list):  # short form: no condition
        return {name: {} for name in deps}
    return deps


def healthcheck_command(spec: dict) -> str:
    test = (spec.get("healthcheck") or {}).get("test")
    if isinstance(test, list):
        return " ".join(test[1:]) if test and test[0] in ("CMD", "CMD-SHELL") else ""
    return test or ""


def dockerfile_instructions() -> list[tuple[str, str]]:
    """(INSTRUCTION, arguments) of deploy/Dockerfile, continuation lines joined, comments dropped."""
    instructions: list[tuple[str, str]] = []
    pending = ""
    for raw in DOCKERFILE.read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        if line.endswith("\\"):
            pending += line[:-1] + " "
            continue
        full = pending + line
        pending = ""
        keyword, _, rest = full.partition(" ")
        instructions.append((keyword.upper(), rest.strip()))
    assert not pending, "the Dockerfile ends inside a continued line"
    return instructions


def instruction_args(keyword: str) -> list[str]:
    return [args for kw, args in dockerfile_instructions() if kw == keyword]


def runtime_stage() -> list[tuple[str, str]]:
    """Instructions of the last stage (the image that runs)."""
    instructions = dockerfile_instructions()
    last_from = max(i for i, (kw, _) in enumerate(instructions) if kw == "FROM")
    return instructions[last_from:]


def accepted_env_names(settings_cls: type) -> set[str]:
    """Environment variable names a pydantic-settings class reads (upper-cased)."""
    config = settings_cls.model_config
    prefix = config.get("env_prefix", "")
    names: set[str] = set()
    for field_name, field in settings_cls.model_fields.items():
        alias = field.validation_alias
        if isinstance(alias, AliasChoices):
            names.update(choice for choice in alias.choices if isinstance(choice, str))
        elif isinstance(alias, str):
            names.add(alias)
        else:
            names.add(f"{prefix}{field_name}")
    if not config.get("case_sensitive", False):
        names = {name.upper() for name in names}
    return names


def settings_class(service: str) -> type:
    _, module, cls = APPS[service]
    return getattr(importlib.import_module(module), cls)


def package_dir(service: str) -> Path:
    return ROOT / APPS[service][0] / f"congress_{service}"


def pyproject_dependencies(folder: Path) -> list[Requirement]:
    data = tomllib.loads((folder / "pyproject.toml").read_text(encoding="utf-8"))
    return [Requirement(dep) for dep in data["project"]["dependencies"]]


def read_requirements(path: Path, seen: tuple[Path, ...] = ()) -> dict[str, Requirement]:
    """Requirements of a file and the files it includes with `-r`, by canonical name."""
    assert path not in seen, f"-r loop through {path.name}"
    reqs: dict[str, Requirement] = {}
    for raw in path.read_text(encoding="utf-8").splitlines():
        line = raw.split("#", 1)[0].strip()
        if not line:
            continue
        if line.startswith(("-r ", "--requirement ")):
            included = read_requirements(path.parent / line.split(None, 1)[1], (*seen, path))
            for name, req in included.items():
                assert name not in reqs or reqs[name].specifier == req.specifier, (
                    f"{path.name}: {name} pinned twice with different versions")
            reqs.update(included)
            continue
        req = Requirement(line)
        name = canonicalize_name(req.name)
        assert name not in reqs or reqs[name].specifier == req.specifier, (
            f"{path.name}: {name} pinned twice with different versions ({reqs[name]} / {req})")
        reqs[name] = req
    return reqs


def requirement_lines(path: Path) -> list[str]:
    return [line for raw in path.read_text(encoding="utf-8").splitlines()
            if (line := raw.split("#", 1)[0].strip())]


def pinned_version(req: Requirement) -> str:
    (spec,) = req.specifier
    return spec.version


# --------------------------------------------------------------------------- compose: services and images

def test_compose_builds_exactly_the_four_apps_from_the_one_dockerfile(app_services: dict) -> None:
    assert set(app_services) == set(APPS)
    for name, spec in app_services.items():
        build = spec["build"]
        assert isinstance(build, dict), f"{name}: build must name the Dockerfile and SERVICE"
        assert (ROOT / build.get("context", ".")).resolve() == ROOT, f"{name}: the context must be the repo root"
        assert (ROOT / build.get("context", ".") / build["dockerfile"]).resolve() == DOCKERFILE.resolve()
        assert build["args"]["SERVICE"] == name, f"{name}: builds SERVICE={build['args']['SERVICE']}"


@pytest.mark.parametrize("service", sorted(APPS))
def test_service_build_arg_names_a_package_with_an_asgi_app(service: str, services: dict) -> None:
    arg = services[service]["build"]["args"]["SERVICE"]
    assert arg in APPS, f"{service}: SERVICE={arg} is not one of {sorted(APPS)}"
    folder = ROOT / APPS[arg][0]
    assert (folder / "pyproject.toml").is_file(), f"no project folder {folder}"
    main = folder / f"congress_{arg}" / "main.py"
    assert main.is_file(), f"{main} does not exist"
    assert re.search(r"^app\s*(:[^=]+)?=", main.read_text(encoding="utf-8"), re.MULTILINE), (
        f"{main} does not define `app`")
    assert importlib.util.find_spec(f"congress_{arg}") is not None


def test_dockerfile_runs_the_service_module_with_uvicorn_on_port() -> None:
    env = " ".join(instruction_args("ENV"))
    module = re.search(r"APP_MODULE=(\S+)", env)
    assert module, "the runtime image must set APP_MODULE"
    # the template names the package of each SERVICE, e.g. congress_checkin.main:app
    for service in APPS:
        resolved = module[1].replace("${SERVICE}", service).replace("$SERVICE", service)
        package, _, attr = resolved.partition(".main:")
        assert attr == "app" and (ROOT / APPS[service][0] / package / "main.py").is_file(), resolved
    (cmd,) = [args for kw, args in runtime_stage() if kw == "CMD"]
    assert "uvicorn" in cmd and "$APP_MODULE" in cmd
    assert re.search(r"--host\s+\\?\"?0\.0\.0\.0", cmd), cmd
    assert re.search(r"--port\s+\\?\"?\$\{?PORT\}?", cmd), cmd
    assert re.search(r"\bPORT=\$\{?PORT\}?", env), "the runtime image must take PORT from the build arg"
    assert any(re.search(r"\$\{?PORT\}?", args) for args in instruction_args("EXPOSE"))


def test_dockerfile_keeps_idle_connections_as_long_as_the_settings_say() -> None:
    from congress_common.settings import ServiceSettings

    (cmd,) = [args for kw, args in runtime_stage() if kw == "CMD"]
    default = ServiceSettings.model_fields["keep_alive_seconds"].default
    assert re.search(rf"--timeout-keep-alive\s+\\?\"?\$\{{CONGRESS_KEEP_ALIVE_SECONDS:-{default}\}}", cmd), cmd


def test_dockerfile_installs_only_the_service_requirements_and_local_packages() -> None:
    runs = " ".join(instruction_args("RUN"))
    assert re.search(r"pip install\s+-r\s+\"?deploy/requirements/\$\{?SERVICE\}?\.txt", runs), runs
    assert re.search(r"pip install\s+--no-deps\s+\./common\b", runs), runs
    copies = " ".join(instruction_args("COPY"))
    for folder in ("common", "deploy/requirements", "services", "gateway"):
        assert re.search(rf"(^|\s){re.escape(folder)}/?\s", copies + " "), f"the Dockerfile does not copy {folder}/"
    assert "tests" not in copies


def test_every_stage_is_python_3_11_slim() -> None:
    defaults = dict(re.findall(r"^ARG\s+(\w+)=(\S+)", DOCKERFILE.read_text(encoding="utf-8"), re.MULTILINE))
    images = {re.sub(r"\$\{?(\w+)\}?", lambda m: defaults.get(m[1], ""), args.split()[0])
              for kw, args in dockerfile_instructions() if kw == "FROM"}
    assert images == {"python:3.11-slim"}, images


def test_dockerfile_runs_as_a_non_root_user() -> None:
    users = [args for kw, args in runtime_stage() if kw == "USER"]
    assert users, "the runtime stage never switches user"
    assert users[-1].split(":")[0] not in ("root", "0")


def test_dockerfile_healthcheck_gets_healthz_on_port() -> None:
    (check,) = instruction_args("HEALTHCHECK")
    assert "urllib" in check and "/healthz" in check
    assert "PORT" in check, "the image healthcheck must follow $PORT"


def test_dockerignore_keeps_local_state_out_of_the_context() -> None:
    entries = {line.strip().strip("/") for line in (ROOT / ".dockerignore").read_text().splitlines()
               if line.strip() and not line.startswith("#")}
    for required in (".venv", "var", "tests", ".git", "**/__pycache__"):
        assert required in entries or required.removeprefix("**/") in entries, f".dockerignore lacks {required}"


# --------------------------------------------------------------------------- compose: ports and URLs

def _port(spec: dict) -> int:
    return int(environment(spec)["PORT"])


def test_ports_agree_between_build_env_healthcheck_and_gateway_urls(app_services: dict) -> None:
    expected = {"gateway": 8000, "checkin": 8001, "seating": 8002, "documents": 8003}
    for name, spec in app_services.items():
        port = _port(spec)
        assert port == expected[name], f"{name} listens on {port}"
        assert int(spec["build"]["args"]["PORT"]) == port, f"{name}: build arg PORT differs from PORT"
        assert "command" not in spec or f"--port {port}" in str(spec["command"]), f"{name}: command port"
        url = re.search(r"https?://[^/\s'\"]+/healthz", healthcheck_command(spec))
        assert url, f"{name}: the healthcheck does not get /healthz"
        assert urlsplit(url[0]).port == port, f"{name}: healthcheck on {urlsplit(url[0]).port}, listens on {port}"
    gateway_env = environment(app_services["gateway"])
    for backend in BACKENDS:
        url = urlsplit(gateway_env[f"CONGRESS_{backend.upper()}_URL"])
        assert url.hostname == backend, f"the gateway reaches {backend} at {url.hostname}"
        assert url.port == _port(app_services[backend]), f"the gateway calls {backend} on {url.port}"


def test_only_the_gateway_is_published_on_8000(services: dict) -> None:
    published = {name: spec["ports"] for name, spec in services.items() if spec.get("ports")}
    assert set(published) == {"gateway"}, f"published: {sorted(published)}"
    (mapping,) = published["gateway"]
    host, _, container = str(mapping).rpartition(":")
    assert host.rsplit(":", 1)[-1] == "8000" and int(container) == _port(services["gateway"])


# --------------------------------------------------------------------------- compose: environment vs settings

@pytest.mark.parametrize("service", sorted(APPS))
def test_every_environment_variable_is_read_by_the_service_settings(service: str, services: dict) -> None:
    accepted = accepted_env_names(settings_class(service)) | {"PORT"}
    unknown = {name for name in environment(services[service]) if name.upper() not in accepted}
    assert not unknown, f"{service} ignores {sorted(unknown)} (accepted: {sorted(accepted)})"


@pytest.mark.parametrize("service", sorted(APPS))
def test_service_settings_validate_from_the_compose_environment(
    service: str, services: dict, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name in list(os.environ):
        if name.upper().startswith("CONGRESS_") or name.upper() in {
            "DATABASE_URL", "REDIS_URL", "KAFKA_BOOTSTRAP_SERVERS", "PORT"}:
            monkeypatch.delenv(name)
    env = {k: interpolate(v, FAKE_INTERPOLATION) for k, v in environment(services[service]).items()}
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    settings = settings_class(service)()
    assert settings.mode == "distributed"
    assert settings.bus == "kafka"
    assert settings.port == int(env["PORT"])
    assert settings.database_url and settings.database_url.startswith("postgresql+asyncpg://")
    assert settings.database_schema == service
    assert settings.kafka_bootstrap_servers == "kafka:9092"
    assert settings.secret() == FAKE_INTERPOLATION["CONGRESS_SECRET_KEY"]
    if service == "documents":
        assert settings.storage == "s3" and settings.s3_endpoint_url == "http://minio:9000"
        assert "minio" in depends_on(services[service])
    if service == "gateway":
        assert settings.admin_password is not None
        for backend in BACKENDS:
            assert getattr(settings, f"{backend}_url"), f"the gateway has no {backend}_url"


@pytest.mark.parametrize("service", sorted(APPS))
def test_secrets_have_no_default_and_refuse_to_start_unset(service: str, services: dict) -> None:
    env = environment(services[service])
    required = (["CONGRESS_SECRET_KEY"] + (["CONGRESS_ADMIN_PASSWORD"] if service == "gateway" else [])
                + (["CONGRESS_FACE_KEY"] if service == "checkin" else []))
    for name in required:
        assert re.fullmatch(rf"\$\{{{name}:\?[^}}]+\}}", env.get(name, "")), (
            f"{service}: {name} must be `${{{name}:?message}}`, is {env.get(name)!r}")
        with pytest.raises(LookupError):
            interpolate(env[name], {})


def test_services_point_at_the_compose_infrastructure(services: dict, app_services: dict) -> None:
    pg = environment(services["postgres"])
    schemas = []
    for name, spec in app_services.items():
        env = environment(spec)
        db = urlsplit(env["DATABASE_URL"])
        assert db.hostname in services, f"{name}: database host {db.hostname} is not a compose service"
        assert "pg_isready" in healthcheck_command(services[db.hostname])
        assert (db.username, db.password, db.path.lstrip("/")) == (
            pg["POSTGRES_USER"], pg["POSTGRES_PASSWORD"], pg["POSTGRES_DB"]), f"{name}: database credentials"
        schemas.append(env["CONGRESS_DATABASE_SCHEMA"])
        kafka_host, _, kafka_port = env["KAFKA_BOOTSTRAP_SERVERS"].partition(":")
        assert kafka_host in services, f"{name}: Kafka host {kafka_host} is not a compose service"
        advertised = environment(services[kafka_host])["KAFKA_ADVERTISED_LISTENERS"]
        assert f"//{kafka_host}:{kafka_port}" in advertised, f"Kafka does not advertise {kafka_host}:{kafka_port}"
    assert len(set(schemas)) == len(schemas), f"services share a schema: {schemas}"
    redis = urlsplit(environment(app_services["gateway"])["REDIS_URL"])
    assert redis.hostname in services and "redis-cli" in healthcheck_command(services[redis.hostname])


# --------------------------------------------------------------------------- compose: health and start order

def test_every_service_has_a_healthcheck(services: dict) -> None:
    assert set(INFRA) <= set(services)
    for name, spec in services.items():
        check = spec.get("healthcheck") or {}
        assert not check.get("disable"), f"{name}: healthcheck disabled"
        assert healthcheck_command(spec), f"{name} has no healthcheck"
    assert "pg_isready" in healthcheck_command(services["postgres"])
    assert "redis-cli" in healthcheck_command(services["redis"]) and "ping" in healthcheck_command(services["redis"])
    assert "kafka" in healthcheck_command(services["kafka"]) and "9092" in healthcheck_command(services["kafka"])


def test_kafka_runs_in_kraft_mode_on_one_node(services: dict) -> None:
    env = environment(services["kafka"])
    assert set(env["KAFKA_PROCESS_ROLES"].split(",")) == {"broker", "controller"}
    assert "KAFKA_ZOOKEEPER_CONNECT" not in env
    assert env["KAFKA_OFFSETS_TOPIC_REPLICATION_FACTOR"] == "1"


def test_dependencies_wait_for_healthy(services: dict, app_services: dict) -> None:
    for name, spec in services.items():
        for dep, options in depends_on(spec).items():
            assert dep in services, f"{name} depends on unknown {dep}"
            assert options.get("condition") == "service_healthy", f"{name} does not wait for {dep} to be healthy"
            assert healthcheck_command(services[dep]), f"{name} waits on {dep}, which has no healthcheck"
    for name, spec in app_services.items():
        assert {"postgres", "kafka"} <= set(depends_on(spec)), f"{name} starts before its infrastructure"
    assert set(BACKENDS) | {"redis"} <= set(depends_on(app_services["gateway"]))


def test_named_volumes_for_postgres_and_checkin_data(compose: dict, services: dict) -> None:
    declared = set(compose.get("volumes") or {})

    def named_mounts(spec: dict) -> dict[str, str]:
        mounts = {}
        for volume in spec.get("volumes") or []:
            source, target = (volume["source"], volume["target"]) if isinstance(volume, dict) else volume.split(":")[:2]
            if source in declared:
                mounts[target] = source
        return mounts

    assert "/var/lib/postgresql/data" in named_mounts(services["postgres"])
    checkin_mounts = named_mounts(services["checkin"])
    data_dir = environment(services["checkin"]).get("CONGRESS_DATA_DIR", "")
    assert data_dir == "/data" and data_dir in checkin_mounts, "check-in keeps photos outside a named volume"
    assert checkin_mounts[data_dir] != named_mounts(services["postgres"])["/var/lib/postgresql/data"]


# --------------------------------------------------------------------------- requirements

REQUIREMENT_FILES = ["common", *APPS]


@pytest.mark.parametrize("name", REQUIREMENT_FILES)
def test_requirements_are_pinned(name: str) -> None:
    path = REQUIREMENTS / f"{name}.txt"
    lines = requirement_lines(path)
    assert lines, f"{path.name} is empty"
    for line in lines:
        if line.startswith("-r "):
            assert name != "common", "common.txt includes nothing"
            continue
        req = Requirement(line)
        operators = [spec.operator for spec in req.specifier]
        assert operators == ["=="], f"{path.name}: {line} is not pinned"
        assert not canonicalize_name(req.name).startswith(LOCAL_PREFIX), f"{path.name}: {line} is a local package"
    if name != "common":
        assert lines[0] == "-r common.txt", f"{path.name} must start with -r common.txt"


@pytest.mark.parametrize("name", REQUIREMENT_FILES)
def test_requirements_cover_the_pyproject_dependencies(name: str) -> None:
    folder = ROOT / ("common" if name == "common" else APPS[name][0])
    pinned = read_requirements(REQUIREMENTS / f"{name}.txt")
    if (REQUIREMENTS / f"{name}-nodeps.txt").exists():
        pinned |= read_requirements(REQUIREMENTS / f"{name}-nodeps.txt")
    direct = [r for r in pyproject_dependencies(folder) if not canonicalize_name(r.name).startswith(LOCAL_PREFIX)]
    if name != "common":  # a service image also runs congress-common
        direct += [r for r in pyproject_dependencies(ROOT / "common")]
    for req in direct:
        key = canonicalize_name(req.name)
        assert key in pinned, f"{name}.txt lacks {req.name} (from the pyproject)"
        version = pinned_version(pinned[key])
        assert req.specifier.contains(version, prereleases=True), f"{name}.txt pins {key}=={version}, needs {req}"


@pytest.mark.parametrize("name", REQUIREMENT_FILES)
def test_requirements_include_the_runtime_dependencies_of_what_they_pin(name: str) -> None:
    """Closed under dependencies (with the extras the pyprojects ask for), per the installed metadata."""
    folder = ROOT / ("common" if name == "common" else APPS[name][0])
    pinned = read_requirements(REQUIREMENTS / f"{name}.txt")
    if (REQUIREMENTS / f"{name}-nodeps.txt").exists():
        pinned |= read_requirements(REQUIREMENTS / f"{name}-nodeps.txt")
    extras: dict[str, set[str]] = {}
    for req in pyproject_dependencies(folder) + pyproject_dependencies(ROOT / "common"):
        extras.setdefault(canonicalize_name(req.name), set()).update(req.extras)
    missing: list[str] = []
    for key in sorted(pinned):
        try:
            requires = metadata.requires(key) or []
        except metadata.PackageNotFoundError:
            pytest.fail(f"{name}.txt pins {key}, which is not installed in the development venv")
        environments = [{"extra": ""}] + [{"extra": extra} for extra in extras.get(key, ())]
        for spec in requires:
            sub = Requirement(spec)
            if sub.marker is not None and not any(sub.marker.evaluate(e) for e in environments):
                continue
            sub_key = canonicalize_name(PROVIDED_BY.get(canonicalize_name(sub.name), sub.name))
            if sub_key in PROVIDED_BY.values() and sub_key in pinned:
                continue  # provided under another name: any version of the module it installs will do
            if sub_key not in pinned:
                missing.append(f"{sub} (needed by {key})")
            elif not sub.specifier.contains(pinned_version(pinned[sub_key]), prereleases=True):
                missing.append(f"{sub} (needed by {key}, pinned {pinned_version(pinned[sub_key])})")
    assert not missing, f"{name}.txt: " + "; ".join(missing)


def test_checkin_requirements_do_not_build_dlib_from_source() -> None:
    for name in REQUIREMENT_FILES:
        names = set(read_requirements(REQUIREMENTS / f"{name}.txt"))
        assert "dlib" not in names, f"{name}.txt pins `dlib` (a source build); use the `dlib-bin` wheel"
