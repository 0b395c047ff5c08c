"""The shard server's parts on a real database: committer, store, quotas, history."""
