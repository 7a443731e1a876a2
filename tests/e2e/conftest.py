"""End-to-end tier: the services as they run in production (gunicorn and their worker processes),
on this test run's databases and topics, driven over real HTTP."""
from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
import requests

import contracts
from eventkit.kafka import ensure_topics

from ..fixtures.settings import key_environment
from ..otlp_receiver import Receiver

ROOT = Path(__file__).resolve().parents[2]
SERVICES = ("identity", "invitations", "notifications")
GUNICORN_CONF = ROOT / "deploy" / "gunicorn.conf.py"  # workers, threads and limits, as every deployment runs them


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Stack:
    """Started service processes; `url(service)` is where each one answers."""

    def __init__(self, log_dir: Path, workers: int = 1):
        self.log_dir = log_dir
        self.workers = workers  # worker processes per service: replicas share partitions and compete for the relay
        self.processes: list[subprocess.Popen] = []
        self.named: dict[str, subprocess.Popen] = {}  # the latest process started under each name
        self.recipes: dict[str, tuple[dict, list[str]]] = {}  # name -> (environment, argv), to start it again
        self.replica_urls: dict[str, str] = {}  # each worker process's operations port, by name
        self.urls: dict[str, str] = {}
        self.envs: dict[str, dict] = {}
        self.worker_urls: dict[str, str] = {}  # each worker's operations port: /metrics, /health/*

    def start(self, service: str, env: dict, migrated: bool = False) -> None:
        port, ops_port = _free_port(), _free_port()
        self.urls[service] = f"http://127.0.0.1:{port}"
        self.envs[service] = env
        self.worker_urls[service] = f"http://127.0.0.1:{ops_port}"
        bin_dir = Path(sys.executable).parent
        if not migrated:
            migrate({service: env})
        # gunicorn's 2 processes share their metrics through files in a fresh directory (multiprocess mode).
        metrics_dir = self.log_dir / f"{service}-metrics"
        metrics_dir.mkdir()
        self._spawn(f"{service}-web", {**env, "PROMETHEUS_MULTIPROC_DIR": str(metrics_dir)},
                    [str(bin_dir / "gunicorn"), "-c", str(GUNICORN_CONF), "--bind", f"127.0.0.1:{port}",
                     "--log-config-json", str(ROOT / "deploy" / "gunicorn-logging.json"),
                     f"{service}.entrypoints.app:create_app()"])
        for replica in range(1, self.workers + 1):  # PGAPPNAME: which replica holds the relay's lock
            name = f"{service}-worker" + (f"-{replica}" if replica > 1 else "")
            port = ops_port if replica == 1 else _free_port()
            self.replica_urls[name] = f"http://127.0.0.1:{port}"
            self._spawn(name, {**env, "PORTICO_METRICS_PORT": str(port), "PGAPPNAME": name},
                        [sys.executable, "-m", f"{service}.entrypoints.worker"])

    def _spawn(self, name: str, env: dict, argv: list[str]) -> None:
        log = open(self.log_dir / f"{name}.log", "ab")
        self.recipes[name] = (env, argv)
        self.named[name] = subprocess.Popen(argv, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
        self.processes.append(self.named[name])

    def respawn(self, name: str) -> None:
        """Start a process again as it was first started (after a kill)."""
        self._spawn(name, *self.recipes[name])

    def wait_ready(self, timeout: float = 180) -> None:  # generous: a loaded machine starts Python slowly
        deadline = time.monotonic() + timeout
        for service, url in self.urls.items():
            while True:
                try:
                    # As a load balancer asks (deploy/k8s): the broker check opens a Kafka
                    # connection, which on a loaded machine may outlast this poll's timeout.
                    if requests.get(f"{url}/health/ready?check=database", timeout=2).status_code == 200:
                        break
                except (requests.ConnectionError, requests.Timeout):
                    pass
                if time.monotonic() > deadline or any(p.poll() is not None for p in self.processes):
                    logs = "\n".join(f.read_text()[-2000:] for f in self.log_dir.glob("*.log"))
                    raise RuntimeError(f"{service} did not become ready:\n{logs}")
                time.sleep(0.2)

    def url(self, service: str) -> str:
        return self.urls[service]

    def log_lines(self, name: str) -> list[str]:
        """The lines a process (e.g. 'invitations-worker') has logged so far."""
        return (self.log_dir / f"{name}.log").read_text(errors="replace").splitlines()

    def kill(self) -> None:
        """SIGKILL every process: the end of throwaway processes on throwaway databases and topics, which
        have nothing to finish (a graceful stop waits out gunicorn's graceful timeout and consumers leaving)."""
        for process in self.processes:
            process.kill()
        for process in self.processes:
            process.wait(timeout=20)

    def stop(self) -> None:
        for process in self.processes:
            process.terminate()
        for process in self.processes:
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()


@pytest.fixture(scope="session")
def otlp():
    """Where the deployed services export their spans (OpenTelemetry's OTLP over HTTP), as to a collector."""
    receiver = Receiver()
    yield receiver
    receiver.close()


@pytest.fixture(scope="session")
def stack(infra, database, topic_prefix, tmp_path_factory, otlp):
    """The deployed services in an environment of their own: own databases, topics and groups, so
    the integration tier's in-process consumers (same run) never share a consumer group with them.
    Tracing is on, as the standard OTEL_* variables switch it on in production."""
    prefix = f"{topic_prefix}e2e."
    ensure_topics(infra.kafka_bootstrap, contracts.TOPICS, prefix)
    running = Stack(tmp_path_factory.mktemp("e2e-logs"))
    tracing = {"OTEL_EXPORTER_OTLP_ENDPOINT": otlp.endpoint, "OTEL_BSP_SCHEDULE_DELAY": "200"}
    try:
        launch(running, infra, lambda service: database(f"e2e_{service}"), infra.kafka_bootstrap, prefix, tracing)
        yield running
    finally:
        running.kill()


def migrate(envs: dict[str, dict]) -> None:
    """The deployment's migrate step, as deploy/local/services.sh runs it (the processes never migrate),
    for each service of `envs` (service -> its environment), side by side: each is a database of its own."""
    running = {service: subprocess.Popen([sys.executable, "-m", f"{service}.entrypoints.migrate"], cwd=ROOT, env=env,
                                         stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
               for service, env in envs.items()}
    for service, process in running.items():
        _, errors = process.communicate(timeout=300)
        assert process.returncode == 0, f"{service}: {errors}"


def launch(running: Stack, infra, database, bootstrap: str, prefix: str, extra_env: dict | None = None) -> None:
    """Start SERVICES on `running` against the given broker(s) and topic prefix, and wait until they answer."""
    pythonpath = os.pathsep.join([str(ROOT), str(ROOT / "services")])
    migrate({service: {**os.environ, "PYTHONPATH": pythonpath, "PORTICO_DATABASE_URL": database(service),
                       **key_environment()} for service in SERVICES})
    for service in SERVICES:
        env = {**os.environ, **(extra_env or {}), "PYTHONPATH": pythonpath,
               "PORTICO_DATABASE_URL": database(service),
               "PORTICO_KAFKA_BOOTSTRAP": bootstrap, "PORTICO_TOPIC_PREFIX": prefix,
               **key_environment()}
        if "identity" in running.urls:  # the others verify identity's tokens with its keys, not :8101's
            env.update(PORTICO_IDENTITY_URL=running.url("identity"),
                       PORTICO_JWKS_URL=f"{running.url('identity')}/.well-known/jwks.json")
        if service == "identity":  # the lifecycle streams register hundreds of people, all from 127.0.0.1
            env.update(PORTICO_REGISTRATIONS_PER_CLIENT_PER_HOUR="100000")
        if service == "notifications":  # to the run's mail sink, retrying in seconds rather than minutes
            env.update(PORTICO_SMTP_HOST=infra.smtp_host, PORTICO_SMTP_PORT=str(infra.smtp_port),
                       PORTICO_RETRY_INITIAL_SECONDS="0.5", PORTICO_RETRY_MAX_SECONDS="2")
        running.start(service, env, migrated=True)
    running.wait_ready()


ADMIN_PASSWORD = "end-to-end passphrase 7"


@pytest.fixture
def http_staff_headers(stack):
    """staff_headers for the deployed stack: the tenant's first system administrator, made with the
    operator's CLI (python -m identity.entrypoints.admin_cli create-staff) and logged in over HTTP."""
    return staff_login(stack)


def staff_login(stack: Stack):
    """headers(tenant) for a stack: its system administrator, made once per tenant and logged in."""
    made: dict[str, dict] = {}

    def headers(tenant: str) -> dict:
        if tenant not in made:
            made_by_cli = subprocess.run(
                [sys.executable, "-m", "identity.entrypoints.admin_cli", "create-staff", "--tenant", tenant,
                 "--username", "admin", "--name", "E2E Admin", "--password-stdin"],
                input=ADMIN_PASSWORD + "\n", text=True, capture_output=True, cwd=ROOT, env=stack.envs["identity"])
            assert made_by_cli.returncode == 0, made_by_cli.stderr
            login = requests.post(f"{stack.url('identity')}/v1/tenants/{tenant}/auth/login", timeout=10,
                                  json={"username": "admin", "password": ADMIN_PASSWORD})
            assert login.status_code == 200, login.text
            made[tenant] = {"Authorization": f"Bearer {login.json()['access_token']}"}
        return made[tenant]

    return headers
