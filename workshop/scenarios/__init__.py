"""Scenarios the harness runs against any architecture module: rollback under load, cold start."""
