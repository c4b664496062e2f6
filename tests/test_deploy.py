"""Deployment files checked by real tools: promtool, kustomize + Kubernetes schemas, hadolint."""

from __future__ import annotations

import fnmatch
import json
import re
import shutil
import subprocess
import sys
import tomllib
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from prometheus_client import CollectorRegistry

from service.config import Settings
from service.metrics import Metrics

ROOT = Path(__file__).resolve().parents[1]
DEPLOY = ROOT / "deploy"
PROMETHEUS = DEPLOY / "prometheus"
DASHBOARD = DEPLOY / "grafana" / "dashboards" / "tlumach.json"
K8S = DEPLOY / "k8s"
GLOSSARY_SUFFIXES = {".yaml", ".yml", ".csv", ".tsv", ".tbx", ".tmx"}
# Kubernetes releases the manifests must satisfy: native gRPC probes are GA from 1.27.
K8S_VERSIONS = ("1.29.0", "1.32.0")
DEFAULTS = Settings()


def _tool(name: str) -> str:
    """Path of a command from PATH or this interpreter's venv; skip (saying why) when absent."""
    found = shutil.which(name) or shutil.which(name, path=str(Path(sys.executable).parent))
    if not found:
        pytest.skip(f"{name} is not installed here (.ci/tools.sh and the dev extra provide it)")
    return found


def _run(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    return subprocess.run(args, cwd=cwd, capture_output=True, text=True, timeout=120, check=False)


def _ok(*args: str, cwd: Path = ROOT) -> str:
    result = _run(*args, cwd=cwd)
    assert result.returncode == 0, f"{' '.join(args)}\n{result.stdout}\n{result.stderr}"
    return result.stdout + result.stderr


# ---- Prometheus --------------------------------------------------------------------------------


def test_prometheus_config_and_rules_pass_promtool() -> None:
    promtool = _tool("promtool")
    _ok(promtool, "check", "config", str(PROMETHEUS / "prometheus.yml"))
    _ok(promtool, "check", "rules", str(PROMETHEUS / "rules.yml"))


def test_alert_rule_unit_tests_pass() -> None:
    out = _ok(_tool("promtool"), "test", "rules", str(PROMETHEUS / "rules_test.yml"))
    assert "SUCCESS" in out


def _alerts() -> list[dict[str, Any]]:
    groups = yaml.safe_load((PROMETHEUS / "rules.yml").read_text(encoding="utf-8"))["groups"]
    return [rule for group in groups for rule in group["rules"] if "alert" in rule]


def test_every_alert_is_unit_tested_firing_and_documented() -> None:
    tests = yaml.safe_load((PROMETHEUS / "rules_test.yml").read_text(encoding="utf-8"))["tests"]
    fired = {
        case["alertname"]
        for test in tests
        for case in test.get("alert_rule_test", [])
        if case.get("exp_alerts")
    }
    readme = (DEPLOY / "README.md").read_text(encoding="utf-8")
    for alert in _alerts():
        name = alert["alert"]
        assert name in fired, f"{name} has no promtool test that shows it firing"
        assert alert["labels"]["severity"] in {"critical", "warning", "info"}
        assert alert["annotations"]["summary"]
        assert alert["annotations"]["description"]
        assert f"`{name}`" in readme, f"deploy/README.md does not explain {name}"


def _exported_names() -> set[str]:
    """Every sample name the service can export, from the real Metrics on a fresh registry."""
    registry = CollectorRegistry()
    Metrics(registry)
    names: set[str] = set()
    for family in registry.collect():
        suffixes = {
            "counter": ("_total", "_created"),
            "histogram": ("_bucket", "_sum", "_count", "_created"),
        }.get(family.type, ("",))
        names.update(family.name + suffix for suffix in suffixes)
        names.update(sample.name for sample in family.samples)
    return names


def _dashboard() -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads(DASHBOARD.read_text(encoding="utf-8"))
    return loaded


def _panels() -> Iterator[dict[str, Any]]:
    for panel in _dashboard()["panels"]:
        yield panel
        yield from panel.get("panels", [])


def _dashboard_exprs() -> list[str]:
    return [target["expr"] for panel in _panels() for target in panel.get("targets", [])]


METRIC_NAME = re.compile(r"(?<![:\w])((?:tlumach|process)_[a-z0-9_]+)(?![:\w])")


def test_rules_and_dashboard_use_only_metrics_the_service_exports() -> None:
    exported = _exported_names()
    exprs = [rule["expr"] for rule in _alerts()] + _dashboard_exprs()
    groups = yaml.safe_load((PROMETHEUS / "rules.yml").read_text(encoding="utf-8"))["groups"]
    exprs += [rule["expr"] for group in groups for rule in group["rules"]]
    used = {name for expr in exprs for name in METRIC_NAME.findall(expr)}
    assert used, "no metric found in rules or dashboard"
    assert not used - exported, f"not exported by service/metrics.py: {sorted(used - exported)}"


def test_dashboard_queries_are_valid_promql(tmp_path: Path) -> None:
    promtool = _tool("promtool")
    # promtool parses rule expressions, so each panel query becomes a recording rule.
    rules = [
        {"record": f"dashboard:query_{i}", "expr": _grafana_to_promql(expr)}
        for i, expr in enumerate(_dashboard_exprs())
    ]
    path = tmp_path / "dashboard_rules.yml"
    path.write_text(yaml.safe_dump({"groups": [{"name": "dashboard", "rules": rules}]}))
    _ok(promtool, "check", "rules", str(path))


def _grafana_to_promql(expr: str) -> str:
    expr = expr.replace("$__rate_interval", "5m")
    return re.sub(r"\$\{?\w+\}?", ".*", expr)


def test_dashboard_shows_what_operators_ask() -> None:
    panels = list(_panels())
    ids = [panel["id"] for panel in panels]
    assert len(ids) == len(set(ids)), "panel ids must be unique"
    by_metric = {
        "heatmap of request latency": ("heatmap", "tlumach_request_duration_seconds_bucket"),
        "throughput": ("timeseries", "tlumach_requests_total"),
        "batch size": ("heatmap", "tlumach_batch_size_sentences_bucket"),
        "queue depth": ("timeseries", "tlumach_queue_depth_sentences"),
        "glossary outcomes per pair": ("timeseries", "tlumach_glossary_terms_total"),
        "language guard": ("timeseries", "tlumach_language_guard_events_total"),
    }
    for what, (kind, metric) in by_metric.items():
        assert any(
            panel["type"] == kind and any(metric in t["expr"] for t in panel.get("targets", []))
            for panel in panels
        ), f"no {kind} panel for {what}"
    glossary = next(p for p in panels if "Glossary outcomes" in p["title"])
    assert "by (pair, outcome)" in glossary["targets"][0]["expr"]
    for panel in panels:
        if panel["type"] != "row":
            assert panel["datasource"]["uid"] == "${datasource}", panel["title"]
            assert panel["gridPos"]["x"] + panel["gridPos"]["w"] <= 24, panel["title"]


def test_grafana_provisioning_matches_compose_mounts() -> None:
    compose = _compose()
    mounts = {
        m["source"]: m["target"]
        for m in compose["services"]["grafana"]["volumes"]
        if isinstance(m, dict)
    }
    provider = yaml.safe_load(
        (DEPLOY / "grafana/provisioning/dashboards/tlumach.yml").read_text(encoding="utf-8")
    )["providers"][0]
    assert mounts["./grafana/dashboards"] == provider["options"]["path"]
    datasource = yaml.safe_load(
        (DEPLOY / "grafana/provisioning/datasources/prometheus.yml").read_text(encoding="utf-8")
    )["datasources"][0]
    variable = _dashboard()["templating"]["list"][0]
    assert variable["type"] == "datasource"
    assert variable["current"]["value"] == datasource["uid"]
    assert datasource["url"] == "http://prometheus:9090"


# ---- Container and compose ---------------------------------------------------------------------


def _compose() -> dict[str, Any]:
    loaded: dict[str, Any] = yaml.safe_load((DEPLOY / "compose.yaml").read_text(encoding="utf-8"))
    return loaded


def test_compose_file_is_valid_compose_spec() -> None:
    checker = _tool("check-jsonschema")
    _ok(checker, "--builtin-schema", "vendor.compose-spec", str(DEPLOY / "compose.yaml"))


def test_compose_references_existing_files_and_matching_ports() -> None:
    compose = _compose()
    for name, service in compose["services"].items():
        for mount in service.get("volumes", []):
            if isinstance(mount, dict) and mount["type"] == "bind":
                assert (DEPLOY / mount["source"]).exists(), f"{name}: {mount['source']} missing"
    build = compose["services"]["tlumach"]["build"]
    context = (DEPLOY / build["context"]).resolve()
    assert (context / build["dockerfile"]).is_file()
    assert context == ROOT
    scrape = yaml.safe_load((PROMETHEUS / "prometheus.yml").read_text(encoding="utf-8"))
    job = next(job for job in scrape["scrape_configs"] if job["job_name"] == "tlumach")
    assert job["static_configs"][0]["targets"] == [f"tlumach:{DEFAULTS.metrics_port}"]
    ports = compose["services"]["tlumach"]["ports"]
    assert f"{DEFAULTS.port}:{DEFAULTS.port}" in ports
    grace = compose["services"]["tlumach"]["stop_grace_period"]
    assert float(grace.rstrip("s")) > DEFAULTS.grace_period_s


def _stages() -> list[list[str]]:
    """Dockerfile instructions (continuations joined, comments dropped), split into stages."""
    text = (DEPLOY / "Dockerfile").read_text(encoding="utf-8")
    lines = [line for line in text.splitlines() if not line.lstrip().startswith("#")]
    instructions = re.sub(r"\\\n", " ", "\n".join(lines)).splitlines()
    stages: list[list[str]] = [[]]
    for instruction in filter(str.strip, instructions):
        if instruction.startswith("FROM "):
            stages.append([])
        stages[-1].append(instruction.strip())
    return stages


def test_dockerfile_passes_hadolint() -> None:
    _ok(_tool("hadolint"), str(DEPLOY / "Dockerfile"))


def test_dockerfile_runtime_is_slim_non_root_and_health_checked() -> None:
    stages = _stages()
    assert len(stages) >= 4, "multi-stage: builder, models, runtime"
    runtime = stages[-1]
    assert runtime[0].startswith("FROM ${PYTHON_IMAGE} AS runtime")
    assert "ARG PYTHON_IMAGE=python:3.11-slim" in " ".join(stages[0])
    users = [line.split()[1] for line in runtime if line.startswith("USER ")]
    assert users, "runtime stage must switch user"
    uid = users[-1].split(":")[0]
    assert uid not in {"0", "root"}
    health = [line for line in runtime if line.startswith("HEALTHCHECK ")]
    assert len(health) == 1
    assert "healthcheck.py" in health[0]
    assert "COPY models/ATTRIBUTION.md /opt/tlumach/ATTRIBUTION.md" in runtime
    expose = next(line for line in runtime if line.startswith("EXPOSE")).split()[1:]
    assert expose == [str(DEFAULTS.port), str(DEFAULTS.metrics_port)]
    version = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    assert f"ARG VERSION={version['version']}" in runtime


def _copied_sources() -> list[str]:
    sources = []
    for stage in _stages():
        for line in stage:
            if line.startswith("COPY ") and "--from=" not in line:
                words = [w for w in line.split()[1:] if not w.startswith("--")]
                sources += words[:-1]
    return sources


def _dockerignored(path: str, patterns: list[str]) -> bool:
    """Docker's rule: the last matching pattern wins; `!` re-includes; a match covers children."""
    ignored = False
    parts = path.rstrip("/").split("/")
    prefixes = ["/".join(parts[: i + 1]) for i in range(len(parts))]
    for pattern in patterns:
        negate = pattern.startswith("!")
        glob = pattern.lstrip("!").rstrip("/").replace("**/", "*")
        if any(fnmatch.fnmatch(prefix, glob) for prefix in prefixes):
            ignored = not negate
    return ignored


def test_every_copied_path_exists_and_survives_dockerignore() -> None:
    patterns = [
        line.strip()
        for line in (ROOT / ".dockerignore").read_text(encoding="utf-8").splitlines()
        if line.strip() and not line.startswith("#")
    ]
    sources = _copied_sources()
    assert "deploy/healthcheck.py" in sources
    for source in sources:
        assert (ROOT / source).exists(), f"COPY {source}: not in the repository"
        assert not _dockerignored(source, patterns), f"COPY {source} is excluded by .dockerignore"
    assert _dockerignored("service/pb/translation_pb2.py", patterns)
    assert not _dockerignored("service/pb/__init__.py", patterns)
    assert _dockerignored(".venv/bin/python", patterns)


def test_builder_stage_makes_a_wheel_with_generated_stubs(tmp_path: Path) -> None:
    # Exactly what the builder stage copies, then its `pip wheel .`: the build hook must make the
    # stubs and bundle the package data from nothing more.
    pytest.importorskip("setuptools")
    pytest.importorskip("grpc_tools")
    builder = next(stage for stage in _stages() if " AS builder" in stage[0])
    for line in builder:
        if not line.startswith("COPY "):
            continue
        *sources, destination = line.split()[1:]
        for source in sources:
            # Docker's rules: a folder's contents go into the destination; a file goes into a
            # destination ending in / under its own name (WORKDIR is the build root here).
            if (ROOT / source).is_dir():
                ignore = shutil.ignore_patterns("__pycache__", "*_pb2*.py*")
                shutil.copytree(ROOT / source, tmp_path / destination, ignore=ignore)
                continue
            target = tmp_path / destination
            if destination.endswith("/"):
                target = target / Path(source).name
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy(ROOT / source, target)
    # The image builds with isolation; here the dev venv's setuptools and grpcio-tools stand in.
    _ok(
        sys.executable,
        "-m",
        "pip",
        "wheel",
        "--no-deps",
        "--no-build-isolation",
        "-q",
        "--wheel-dir",
        "dist",
        ".",
        cwd=tmp_path,
    )
    wheel = next((tmp_path / "dist").glob("tlumach-*.whl"))
    with zipfile.ZipFile(wheel) as archive:
        names = set(archive.namelist())
        entry_points = next(n for n in names if n.endswith("entry_points.txt"))
        scripts = archive.read(entry_points).decode()
    assert "service/pb/translation_pb2_grpc.py" in names
    assert "service/logfmt.py" in names
    assert "service/_data/models/demo/tlumach-demo/model.bin" in names
    assert "service/_data/models/models.yaml" in names
    assert "service/_data/glossaries/news-ua.yaml" in names
    assert "tlumach = service.__main__:main" in scripts


def test_tools_script_is_quick_when_tools_are_present() -> None:
    _tool("promtool")
    out = _ok("bash", str(ROOT / ".ci/tools.sh"))
    assert "installing" not in out


# ---- Kubernetes --------------------------------------------------------------------------------


def _kubectl() -> str:
    kubectl = _tool("kubectl")
    version = json.loads(_ok(kubectl, "version", "--client", "-o", "json"))["clientVersion"]
    if int(re.sub(r"\D", "", version["minor"])) < 27:
        pytest.skip(f"kubectl {version['gitVersion']} bundles a kustomize too old for components")
    return kubectl


def _render(tmp_path: Path, overlay: str, components: tuple[str, ...] = ()) -> list[dict[str, Any]]:
    """Render an overlay (plus optional components) with kubectl's built-in kustomize."""
    target = K8S / overlay
    if components:
        # Kustomize wants relative paths; a throwaway overlay beside the real ones gives them.
        wrapper = K8S / "overlays" / f".test-{tmp_path.name}"
        wrapper.mkdir()
        try:
            (wrapper / "kustomization.yaml").write_text(
                yaml.safe_dump(
                    {
                        "apiVersion": "kustomize.config.k8s.io/v1beta1",
                        "kind": "Kustomization",
                        "resources": [f"../../{overlay}"],
                        "components": [f"../../components/{c}" for c in components],
                    }
                )
            )
            return _render(tmp_path, f"overlays/{wrapper.name}")
        finally:
            shutil.rmtree(wrapper)
    out = _ok(_kubectl(), "kustomize", "--load-restrictor", "LoadRestrictionsNone", str(target))
    return [doc for doc in yaml.safe_load_all(out) if doc]


VARIANTS = {
    "base": ("base", ()),
    "production": ("overlays/production", ()),
    "production+components": ("overlays/production", ("servicemonitor", "baked-models")),
    "production+access": ("overlays/production", ("access",)),
}


@pytest.mark.parametrize("variant", VARIANTS)
def test_rendered_manifests_match_kubernetes_schemas(tmp_path: Path, variant: str) -> None:
    validator = pytest.importorskip("kubernetes_validate")
    overlay, components = VARIANTS[variant]
    docs = _render(tmp_path, overlay, components)
    kinds = sorted(doc["kind"] for doc in docs)
    for required in (
        "ConfigMap",
        "Deployment",
        "HorizontalPodAutoscaler",
        "PodDisruptionBudget",
        "Service",
    ):
        assert required in kinds, f"{variant} renders no {required}"
    for doc in docs:
        if doc["apiVersion"].startswith("monitoring.coreos.com/"):
            continue  # a CRD: checked against the Service it scrapes below
        for version in K8S_VERSIONS:
            validator.validate(doc, version, strict=True)


def _by_kind(docs: list[dict[str, Any]], kind: str) -> list[dict[str, Any]]:
    return [doc for doc in docs if doc["kind"] == kind]


def _selects(selector: dict[str, str], labels: dict[str, str]) -> bool:
    return all(labels.get(key) == value for key, value in selector.items())


def test_deployment_probes_drain_and_sizing(tmp_path: Path) -> None:
    docs = _render(tmp_path, "overlays/production")
    deployment = _by_kind(docs, "Deployment")[0]
    pod = deployment["spec"]["template"]["spec"]
    server = next(c for c in pod["containers"] if c["name"] == "tlumach")
    for probe in ("startupProbe", "readinessProbe", "livenessProbe"):
        assert server[probe]["grpc"]["port"] == DEFAULTS.port, probe
    assert {p["name"]: p["containerPort"] for p in server["ports"]} == {
        "grpc": DEFAULTS.port,
        "metrics": DEFAULTS.metrics_port,
    }
    pre_stop = int(server["lifecycle"]["preStop"]["exec"]["command"][-1])
    assert pod["terminationGracePeriodSeconds"] >= pre_stop + DEFAULTS.grace_period_s + 5
    assert pod["enableServiceLinks"] is False
    assert server["resources"]["requests"] == {"cpu": "2", "memory": "1536Mi"}
    assert "cpu" not in server["resources"]["limits"]
    assert pod["securityContext"]["runAsNonRoot"] is True
    dockerfile_uid = next(line for line in _stages()[-1] if line.startswith("USER")).split()[1]
    assert str(pod["securityContext"]["runAsUser"]) == dockerfile_uid.split(":")[0]
    assert deployment["spec"]["replicas"] == 3
    assert deployment["metadata"]["namespace"] == "tlumach"


def test_settings_configmap_is_accepted_by_the_server(tmp_path: Path) -> None:
    docs = _render(tmp_path, "overlays/production")
    deployment = _by_kind(docs, "Deployment")[0]
    server = deployment["spec"]["template"]["spec"]["containers"][0]
    name = server["envFrom"][0]["configMapRef"]["name"]
    settings = next(doc for doc in _by_kind(docs, "ConfigMap") if doc["metadata"]["name"] == name)
    # The same parsing `tlumach serve` applies: unknown variables or bad values raise ConfigError.
    parsed = Settings.from_mapping(Settings.env_values(settings["data"]))
    assert parsed.log_format == "json"
    assert parsed.max_queue_sentences == 4096
    assert parsed.grace_period_s == DEFAULTS.grace_period_s
    assert parsed.inter_threads == 2
    assert parsed.intra_threads == 1


def test_services_hpa_and_pdb_point_at_the_pods(tmp_path: Path) -> None:
    docs = _render(tmp_path, "overlays/production", ("servicemonitor",))
    deployment = _by_kind(docs, "Deployment")[0]
    pod_labels = deployment["spec"]["template"]["metadata"]["labels"]
    services = {doc["metadata"]["name"]: doc for doc in _by_kind(docs, "Service")}
    headless = services["tlumach"]
    assert headless["spec"]["clusterIP"] == "None"
    assert headless["spec"]["ports"][0]["port"] == DEFAULTS.port
    metrics = services["tlumach-metrics"]
    for service in (headless, metrics):
        assert _selects(service["spec"]["selector"], pod_labels)
    hpa = _by_kind(docs, "HorizontalPodAutoscaler")[0]
    assert hpa["spec"]["scaleTargetRef"]["name"] == deployment["metadata"]["name"]
    assert hpa["spec"]["minReplicas"] == 3
    pdb = _by_kind(docs, "PodDisruptionBudget")[0]
    assert _selects(pdb["spec"]["selector"]["matchLabels"], pod_labels)
    monitor = _by_kind(docs, "ServiceMonitor")[0]
    assert _selects(monitor["spec"]["selector"]["matchLabels"], metrics["metadata"]["labels"])
    assert not _selects(monitor["spec"]["selector"]["matchLabels"], headless["metadata"]["labels"])
    assert monitor["spec"]["endpoints"][0]["port"] == metrics["spec"]["ports"][0]["name"]


def test_glossaries_configmap_carries_every_shipped_glossary(tmp_path: Path) -> None:
    shipped = sorted(
        p.name for p in (ROOT / "glossaries").iterdir() if p.suffix in GLOSSARY_SUFFIXES
    )
    docs = _render(tmp_path, "base")
    configmap = next(
        doc
        for doc in _by_kind(docs, "ConfigMap")
        if doc["metadata"]["name"].startswith("tlumach-glossaries")
    )
    assert sorted(configmap.get("data", {})) == shipped
    for name in shipped:
        assert configmap["data"][name] == (ROOT / "glossaries" / name).read_text(encoding="utf-8")
    # A ConfigMap holds at most 1 MiB; bigger glossary sets need a volume instead.
    assert len(json.dumps(configmap).encode()) < 1024 * 1024


def test_baked_models_component_drops_the_download(tmp_path: Path) -> None:
    docs = _render(tmp_path, "overlays/production", ("baked-models",))
    pod = _by_kind(docs, "Deployment")[0]["spec"]["template"]["spec"]
    assert not pod.get("initContainers")
    assert "models" not in {volume["name"] for volume in pod["volumes"]}
    settings = next(
        doc
        for doc in _by_kind(docs, "ConfigMap")
        if doc["metadata"]["name"].startswith("tlumach-settings")
    )
    assert settings["data"]["TLUMACH_MODELS_DIR"] == "/opt/tlumach/models"


ACCESS = K8S / "components" / "access"


def test_access_component_mounts_the_secrets_and_probes_the_health_port(tmp_path: Path) -> None:
    docs = _render(tmp_path, "overlays/production", ("access",))
    pod = _by_kind(docs, "Deployment")[0]["spec"]["template"]["spec"]
    server = next(c for c in pod["containers"] if c["name"] == "tlumach")
    name = server["envFrom"][0]["configMapRef"]["name"]
    data = next(doc for doc in _by_kind(docs, "ConfigMap") if doc["metadata"]["name"] == name)
    settings = Settings.from_mapping(Settings.env_values(data["data"]))
    assert settings.tls
    assert settings.tls_client_ca_file is not None
    assert settings.auth_tokens_file is not None
    for probe in ("startupProbe", "readinessProbe", "livenessProbe"):
        assert server[probe]["grpc"]["port"] == settings.health_port, probe
    ports = {p["name"]: p["containerPort"] for p in server["ports"]}
    assert ports == {"grpc": settings.port, "metrics": settings.metrics_port, "health": 50052}
    mount = next(m for m in server["volumeMounts"] if m["name"] == "access")
    assert mount["readOnly"] is True
    assert "subPath" not in mount, "subPath mounts never see Secret updates"
    volume = next(v for v in pod["volumes"] if v["name"] == "access")
    secrets = {source["secret"]["name"] for source in volume["projected"]["sources"]}
    assert secrets == {"tlumach-tls", "tlumach-tokens"}
    keys = {"tls.crt", "tls.key", "ca.crt", "tokens.yaml"}
    for path in (
        settings.tls_cert_file,
        settings.tls_key_file,
        settings.tls_client_ca_file,
        settings.auth_tokens_file,
    ):
        assert path is not None
        assert str(path.parent) == mount["mountPath"]
        assert path.name in keys


def test_access_secret_examples_are_valid_and_the_tokens_load(tmp_path: Path) -> None:
    from service.access.tokens import load_token_file
    from service.edge.access_gate import RPCS

    validator = pytest.importorskip("kubernetes_validate")
    tls = yaml.safe_load((ACCESS / "tls-secret.example.yaml").read_text(encoding="utf-8"))
    tokens = yaml.safe_load((ACCESS / "tokens-secret.example.yaml").read_text(encoding="utf-8"))
    for doc in (tls, tokens):
        for version in K8S_VERSIONS:
            validator.validate(doc, version, strict=True)
    assert set(tls["stringData"]) == {"tls.crt", "tls.key", "ca.crt"}
    path = tmp_path / "tokens.yaml"
    path.write_text(tokens["stringData"]["tokens.yaml"], encoding="utf-8")
    table = load_token_file(path, RPCS)
    assert [caller.id for caller in table.callers] == ["newsroom-cms", "archive-batch"]
