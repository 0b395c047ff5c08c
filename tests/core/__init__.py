"""The pure core (shards/core): the state machine and the partition functions, no I/O."""
