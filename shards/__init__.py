"""The shard server: the durable engine and its storage."""
