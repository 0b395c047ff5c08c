"""The benchmarks under bench/, run in their smoke modes: they run and report what they should."""
