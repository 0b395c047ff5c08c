"""The gateway: authenticates, admits and routes requests to the shard that owns them."""
