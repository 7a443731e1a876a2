"""The deployment files agree with each other and with deploy/local/env.sh: every service and worker,
every port; every YAML parses; every Kubernetes manifest is valid against the API's schemas."""
from __future__ import annotations

import functools
import subprocess
from pathlib import Path

import kubernetes_validate
import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
K8S = ROOT / "deploy" / "k8s"
KUBERNETES = "1.31.0"


def local_env() -> dict[str, str]:
    """The variables deploy/local/env.sh exports, as a shell that sources it sees them."""
    shown = subprocess.run(["bash", "-c", f". {ROOT}/deploy/local/env.sh && env"], capture_output=True,
                           text=True, check=True, env={"HOME": "/nonexistent", "PATH": "/usr/bin:/bin"}).stdout
    return dict(line.split("=", 1) for line in shown.splitlines() if line.startswith("PORTICO_"))


ENV = local_env()
SERVICES = ENV["PORTICO_SERVICES"].split()
PORTS = {svc: (int(ENV[f"PORTICO_{svc.upper()}_PORT"]), int(ENV[f"PORTICO_{svc.upper()}_METRICS_PORT"]))
         for svc in SERVICES}


@functools.cache
def compose() -> dict:
    return yaml.safe_load((ROOT / "docker-compose.yml").read_text())


@functools.cache
def manifests() -> list[dict]:
    return [doc for path in sorted(K8S.glob("*.yaml")) for doc in yaml.safe_load_all(path.read_text()) if doc]


def find(kind: str, name: str) -> dict:
    [found] = [d for d in manifests() if d["kind"] == kind and d["metadata"]["name"] == name]
    return found


def test_every_yaml_file_parses():
    files = [ROOT / "docker-compose.yml", *ROOT.glob("deploy/**/*.yaml"), *ROOT.glob("deploy/**/*.yml")]
    assert len(files) > 5
    for path in files:
        assert list(yaml.safe_load_all(path.read_text())), path


def test_the_four_services_are_the_ones_env_sh_starts():
    assert SERVICES == ["identity", "invitations", "notifications", "documents"]


@pytest.mark.parametrize("service", SERVICES)
def test_compose_runs_each_service_and_its_worker_on_env_sh_ports(service):
    web_port, ops_port = PORTS[service]
    services = compose()["services"]
    web, worker = services[service], services[f"{service}-worker"]
    assert f"0.0.0.0:{web_port}" in web["command"] and f"{service}.entrypoints.app:create_app()" in web["command"]
    assert web["ports"] == [f"127.0.0.1:{web_port}:{web_port}"]
    assert "PROMETHEUS_MULTIPROC_DIR=/tmp/metrics" in web["command"] and "/tmp/metrics" in web["tmpfs"]
    assert "deploy/gunicorn-logging.json" in web["command"]  # gunicorn's own lines as JSON
    assert worker["command"] == ["python", "-m", f"{service}.entrypoints.worker"]
    assert worker["environment"]["PORTICO_METRICS_PORT"] == str(ops_port)
    assert worker["ports"] == [f"127.0.0.1:{ops_port}:{ops_port}"]
    assert "PROMETHEUS_MULTIPROC_DIR" not in worker["environment"]  # one process: its own registry


def test_compose_uses_official_images():
    services = compose()["services"]
    assert services["kafka"]["image"].startswith("apache/kafka:")
    assert services["postgres"]["image"].startswith("postgres:")
    dockerfile = (ROOT / "deploy" / "docker" / "Dockerfile").read_text()
    assert any(line.startswith("FROM python:") for line in dockerfile.splitlines())


@pytest.mark.parametrize("service", SERVICES)
def test_kubernetes_runs_each_service_and_its_worker_on_env_sh_ports(service):
    web_port, ops_port = PORTS[service]
    web = find("Deployment", f"{service}-web")["spec"]["template"]
    [container] = web["spec"]["containers"]
    assert container["ports"] == [{"name": "http", "containerPort": web_port}]
    assert f"{service}.entrypoints.app:create_app()" in container["command"]
    assert "deploy/gunicorn-logging.json" in container["command"]
    assert web["metadata"]["annotations"]["prometheus.io/port"] == str(web_port)
    assert find("Service", service)["spec"]["ports"][0]["port"] == web_port
    worker = find("Deployment", f"{service}-worker")["spec"]
    [container] = worker["template"]["spec"]["containers"]
    assert container["command"] == ["python", "-m", f"{service}.entrypoints.worker"]
    assert {"name": "PORTICO_METRICS_PORT", "value": str(ops_port)} in container["env"]
    assert container["ports"] == [{"name": "ops", "containerPort": ops_port}]
    assert find("Service", f"{service}-worker")["spec"]["ports"][0]["port"] == ops_port
    # Consumer groups spread over the partitions: more than one worker, no more than the 6 partitions.
    assert 1 < worker["replicas"] <= 6


def test_every_kubernetes_manifest_is_valid_for_the_api():
    for doc in manifests():
        if doc["kind"] != "Kustomization":
            kubernetes_validate.validate(doc, KUBERNETES, strict=True)


def test_the_kustomization_lists_every_manifest():
    kustomization = yaml.safe_load((K8S / "kustomization.yaml").read_text())
    assert sorted(kustomization["resources"]) == sorted(p.name for p in K8S.glob("*.yaml")
                                                        if p.name != "kustomization.yaml")


def gunicorn_settings() -> dict:
    settings: dict = {}
    exec((ROOT / "deploy" / "gunicorn.conf.py").read_text(), settings)
    return settings


def test_gunicorn_runs_threads_so_that_waiting_reads_leave_threads_for_everyone():
    from eventkit import waiting
    from eventkit.web_worker import ProblemWorker
    from gunicorn.util import load_class
    from gunicorn.workers.gthread import ThreadWorker

    settings = gunicorn_settings()
    assert issubclass(load_class(settings["worker_class"]), ThreadWorker)
    assert load_class(settings["worker_class"]) is ProblemWorker  # refusals as problems, not HTML
    # Waiting reads may take some of a worker's threads, never all: health checks get the rest.
    assert waiting.MAX_REQUESTS < settings["threads"] and waiting.MAX_PER_CALLER < waiting.MAX_REQUESTS


@pytest.mark.parametrize("service", SERVICES)
def test_every_deployment_starts_the_web_with_deploy_gunicorn_conf(service):
    compose_web = compose()["services"][service]["command"]
    [k8s_web] = find("Deployment", f"{service}-web")["spec"]["template"]["spec"]["containers"]
    for command in (compose_web, k8s_web["command"]):
        assert command[command.index("-c") + 1] == "deploy/gunicorn.conf.py"
        assert "--workers" not in command and "--threads" not in command  # one place: the conf file
    for script in (ROOT / "deploy" / "local" / "services.sh", ROOT / "tests" / "e2e" / "conftest.py"):
        text = script.read_text()
        assert "gunicorn.conf.py" in text and '"--workers"' not in text, script
        assert "--workers 2 \\" not in text, script


@pytest.mark.parametrize("service", SERVICES)
def test_every_deployment_migrates_each_service_once_before_its_web_and_worker(service):
    migrate = ["python", "-m", f"{service}.entrypoints.migrate"]
    services = compose()["services"]
    assert services[f"{service}-migrate"]["command"] == migrate
    assert services[f"{service}-migrate"]["restart"] == "no"
    for name in (service, f"{service}-worker"):
        assert services[name]["depends_on"][f"{service}-migrate"] == {"condition": "service_completed_successfully"}
    job = find("Job", f"{service}-migrate")["spec"]["template"]["spec"]
    [container] = job["containers"]
    assert container["command"] == migrate
    services_sh = (ROOT / "deploy" / "local" / "services.sh").read_text()
    assert services_sh.index("entrypoints.migrate") < services_sh.index('start_bg "$svc-web"')
