#!/bin/sh
# Makes every certificate the compose cluster uses, once (a second run keeps what exists).
# Runs in the cockroachdb/cockroach image, whose `cockroach cert` is the certificate tool.
#   /certs/cockroach  CockroachDB's CA, the nodes' certificate, client certificates for root
#                     and for the SQL user `stepway` (copied to /certs/stepway-db, owned by
#                     the image's user 10001, as libpq wants for a key)
#   /certs/stepway    Stepway's own CA and one cluster certificate (server and client use)
#                     for the gateways' TLS and the gateway-to-shard mutual TLS
set -eu
umask 077
db=/certs/cockroach
app=/certs/stepway
mkdir -p "$db" "$app" /certs/stepway-db /certs/ca-keys
# With --stepway-only (the PostgreSQL variant) CockroachDB's certificates are not made.
only="${1:-}"
if [ "$only" != "--stepway-only" ] && [ ! -f "$db/ca.crt" ]; then
  cockroach cert create-ca --certs-dir="$db" --ca-key=/certs/ca-keys/cockroach-ca.key
  cockroach cert create-node roach-1 roach-2 roach-3 localhost 127.0.0.1 \
    --certs-dir="$db" --ca-key=/certs/ca-keys/cockroach-ca.key
  cockroach cert create-client root --certs-dir="$db" --ca-key=/certs/ca-keys/cockroach-ca.key
  cockroach cert create-client stepway --certs-dir="$db" \
    --ca-key=/certs/ca-keys/cockroach-ca.key
fi
if [ ! -f "$app/ca.crt" ]; then
  cockroach cert create-ca --certs-dir="$app" --ca-key=/certs/ca-keys/stepway-ca.key
  cockroach cert create-node shard-1 shard-2 shard-3 gateway-1 gateway-2 localhost 127.0.0.1 \
    --certs-dir="$app" --ca-key=/certs/ca-keys/stepway-ca.key
fi
if [ "$only" != "--stepway-only" ]; then
  cp "$db/ca.crt" "$db/client.stepway.crt" "$db/client.stepway.key" /certs/stepway-db/
  chmod 0644 "$db"/*.crt /certs/stepway-db/*.crt
fi
chown -R 10001 /certs/stepway /certs/stepway-db
# Directories and certificates readable (Prometheus reads the CAs); keys stay 0600.
chmod 0755 "$db" "$app" /certs/stepway-db
chmod 0644 "$app"/*.crt
echo "certificates ready"
