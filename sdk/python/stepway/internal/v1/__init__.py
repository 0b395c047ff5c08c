"""Generated from protos/stepway/internal/v1; do not edit."""
