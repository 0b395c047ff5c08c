"""The Python SDK and the stepway command against real servers: client, workers, CLI, test kit."""
