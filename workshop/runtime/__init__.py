"""Processes, their state files, container images and containers: what the harness starts and stops."""
