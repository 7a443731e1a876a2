"""`make bench`: Portico's benchmarks, one module each, every figure beside a baseline measured in the
same run on the same machine. A module offers `run() -> list[dict]`, one dict per figure:
benchmark, value, unit, and optionally baseline (same unit), baseline_name and notes.
"""

# The order they run in; a later issue adds its module here.
MODULES = ["customer_import", "latency", "logins", "invitations", "document_list", "rebuild", "consumer_stages", "notifications", "append_lock"]
