"""Clusters of shard servers and gateways, with processes and databases killed on purpose."""
