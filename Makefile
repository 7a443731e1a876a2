# Local development and CI entry points; the work is done by deploy/local/*.sh
# (see deploy/README.md).
LOCAL := deploy/local

.PHONY: up down logs test bench install infra infra-down status

up:          ## everything: infrastructure, services, workers, demo data
	bash $(LOCAL)/up.sh

down:        ## stop what up started (data is kept)
	bash $(LOCAL)/down.sh

logs:        ## last 50 lines of every log; FOLLOW=1 make logs to follow
	bash $(LOCAL)/logs.sh

test:        ## infrastructure + pytest; make test PYTEST_ARGS='-k invite -x'
	bash $(LOCAL)/test.sh $(PYTEST_ARGS)

bench:
	@if [ -f $(LOCAL)/bench.sh ]; then \
		bash $(LOCAL)/bench.sh; \
	else \
		echo "make bench: not yet: $(LOCAL)/bench.sh does not exist" >&2; \
		exit 1; \
	fi

install:     ## virtualenv, PostgreSQL (apt), Kafka jars (maven)
	bash $(LOCAL)/install.sh

infra:       ## PostgreSQL, Kafka and the SMTP sink only
	bash $(LOCAL)/infra.sh start

infra-down:
	bash $(LOCAL)/infra.sh stop

status:      ## what is running (informational: always succeeds)
	@bash $(LOCAL)/infra.sh status || true
	@bash $(LOCAL)/services.sh status || true
