"""Runnable example workflows (`stepway dev --example`)."""
