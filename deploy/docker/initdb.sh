#!/usr/bin/env bash
# Run once by the postgres image on an empty data directory: the same roles
# and databases as deploy/local/postgres.sh creates natively. portico_admin
# itself is the image's POSTGRES_USER (a superuser).
set -euo pipefail

for svc in identity invitations notifications documents; do
    psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname postgres <<SQL
CREATE ROLE portico_$svc WITH LOGIN PASSWORD 'portico_$svc';
CREATE DATABASE portico_$svc OWNER portico_$svc;
REVOKE CONNECT, TEMPORARY ON DATABASE portico_$svc FROM PUBLIC;
GRANT CONNECT, TEMPORARY ON DATABASE portico_$svc TO portico_$svc;
SQL
done
psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname postgres \
    -c "REVOKE CONNECT ON DATABASE postgres FROM PUBLIC;"
