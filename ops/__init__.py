"""Portico's operations tool: `python -m ops --help` (or bin/portico-ops).

Watch the event streams, follow one customer or user across services, see how far behind each
consumer and projection is, retry dead letters after a fix, rebuild a projection beside the live one.
Settings come from the PORTICO_* environment, as the services' do (`. deploy/local/env.sh`).
"""
