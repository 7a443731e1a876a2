"""`ops rebuild` reads events as the service's consumers do, people's values opened; without the keys it
refuses, naming what to give it, rather than rebuild a projection holding ciphertext."""
from __future__ import annotations

import pytest

from contracts.personal import OpeningContracts
from ops.projections import reader
from ops.settings import Settings, from_env


@pytest.mark.parametrize("service, variable", [("identity", "PORTICO_SUBJECT_KEK"),
                                               ("notifications", "PORTICO_PERSONAL_DATA_TOKEN_NOTIFICATIONS")])
def test_a_rebuild_without_the_services_keys_is_refused_naming_the_variable(service, variable):
    with pytest.raises(SystemExit, match=variable):
        reader(Settings("127.0.0.1:1", ""), service, pool=None)


def test_the_keys_come_from_the_environment_keys_sh_exports():
    settings = from_env({"PORTICO_SERVICES": "identity notifications", "PORTICO_PG_ADMIN_DSN": "dbname=x",
                         "PORTICO_SUBJECT_KEK": "a2V5", "PORTICO_PERSONAL_DATA_TOKEN_NOTIFICATIONS": "t0ken",
                         "PORTICO_IDENTITY_URL": "http://identity:8101"})
    assert (settings.subject_kek, settings.personal_data_tokens, settings.identity_url) == (
        "a2V5", {"notifications": "t0ken"}, "http://identity:8101")
    assert isinstance(reader(settings, "notifications", pool=None), OpeningContracts)
