"""`make bench` boots the services from the settings its environment gives (bench/customer_import.py), and
`make bench` is not part of `make test`: when sealing made the services require new keys, every benchmark
failed for a whole session before anyone ran one. Booting each service here from those settings fails in
`make test` instead."""
import importlib

import pytest

from bench.customer_import import Environment
from bench.notifications import _Environment


@pytest.fixture(scope="module")
def environment():
    with pytest.MonkeyPatch.context() as patch:
        # identity's key release is a web process the benchmarks start on first use; booting needs only its address.
        patch.setattr(Environment, "_key_release", lambda self: "http://127.0.0.1:9")
        with _Environment() as env:
            yield env


@pytest.mark.parametrize("service", ["identity", "invitations", "notifications"])
def test_a_service_boots_from_the_bench_settings(environment, service):
    config = importlib.import_module(f"{service}.config")
    bootstrap = importlib.import_module(f"{service}.bootstrap")
    settings = config.load(environment.config(service))
    bootstrap.migrate(settings)

    bootstrap.bootstrap(settings).close()
