"""Execution environments: processes speaking the Runtime API, the pool, code, output and logs."""
