"""The import command line: the same job as the API's, run in its own process, with a progress bar."""
from __future__ import annotations

from pathlib import Path

from identity.entrypoints import import_cli

from ..fixtures.settings import key_environment

SAMPLE = Path(__file__).resolve().parents[2] / "docs" / "samples" / "customers.csv"


def use_identity_database(monkeypatch, identity_app):
    config = identity_app.config
    for key in ("DATABASE_URL", "KAFKA_BOOTSTRAP", "TOPIC_PREFIX"):
        monkeypatch.setenv(f"PORTICO_{key}", config[key])
    for key, value in key_environment().items():
        monkeypatch.setenv(key, value)


def test_the_cli_imports_a_file_and_a_second_run_changes_nothing(identity, identity_app, staff_headers,
                                                                   monkeypatch, capsys, tenant):
    use_identity_database(monkeypatch, identity_app)

    assert import_cli.main([str(SAMPLE), "--tenant", tenant, "--actor", "ops-1"]) == 0
    first = capsys.readouterr()
    assert "succeeded: 6 rows read, 6 valid" in first.out and "customers.created: 3" in first.out
    assert "writing" in first.err  # the progress bar
    assert import_cli.main([str(SAMPLE), "--tenant", tenant, "--dry-run"]) == 0
    assert "customers.unchanged: 3" in capsys.readouterr().out
    history = identity.get(f"/v1/tenants/{tenant}/customers/ACME01/history", headers=staff_headers(tenant)).json
    assert [e["actor"] for e in history["items"]] == ["ops-1", "ops-1", "ops-1"]


def test_the_cli_names_the_bad_rows_and_imports_nothing(identity_app, monkeypatch, capsys, tmp_path, tenant):
    use_identity_database(monkeypatch, identity_app)
    bad = tmp_path / "bad.csv"
    bad.write_text(SAMPLE.read_text().replace("jane@acme.example", "jane"))

    assert import_cli.main([str(bad), "--tenant", tenant]) == 1
    out = capsys.readouterr().out
    assert out.startswith("rejected") and "row 3, email: Not a valid e-mail address." in out
    assert import_cli.main([str(tmp_path / "missing.csv"), "--tenant", tenant]) == 2
