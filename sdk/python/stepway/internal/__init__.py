"""Generated code of the gateway-to-shard service (protos/stepway/internal): no client API."""
