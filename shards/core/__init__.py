"""The shard's rules as pure functions: no database, no event loop, no network.

`model` holds the values, `machine` the workflow task's lease and an instance's end, `steps`
the worker's step commands, `control` the clients' commands, `limits` the quotas on an
instance's size, `calls` the CALL steps served by step workers, and `schedules` when a
schedule fires and what a fire does. The engine
(shards.engine) reads rows, calls one function here, and writes what it returns.
"""
