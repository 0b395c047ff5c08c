"""Generated from protos/stepway/v1; do not edit."""
