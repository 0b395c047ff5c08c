#!/bin/sh
# Initialises the 3-node CockroachDB cluster once, then makes the database and SQL user
# Stepway connects as (certificate authentication, no password).
set -eu
certs=/certs/cockroach
cockroach init --certs-dir="$certs" --host=roach-1:26257 2>&1 | grep -v "already been initialized" || true
cockroach sql --certs-dir="$certs" --host=roach-1:26257 -e "
  CREATE DATABASE IF NOT EXISTS stepway;
  CREATE USER IF NOT EXISTS stepway;
  ALTER DATABASE stepway OWNER TO stepway;
  GRANT ALL ON DATABASE stepway TO stepway;"
echo "cluster initialised; database stepway ready"
