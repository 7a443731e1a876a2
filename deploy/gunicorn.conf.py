"""gunicorn's settings for every Portico web app: `gunicorn -c deploy/gunicorn.conf.py ...` in
deploy/local/services.sh, docker-compose.yml, deploy/k8s/ and tests/e2e (tests/unit/test_deploy.py checks).

Threads, not sync workers: a read that waits for its `after` position sleeps in its thread, and
eventkit/waiting.py lets only a few threads wait, so health checks and other requests always get one.
Refusals (a request line or header beyond these limits) are RFC 9457 problems (eventkit/web_worker.py).
"""
worker_class = "eventkit.web_worker.ProblemWorker"
workers = 2
threads = 8
graceful_timeout = 20
limit_request_line = 4094
limit_request_fields = 100
limit_request_field_size = 8190
