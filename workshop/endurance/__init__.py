"""Endurance benchmarks of a running architecture: `faults.run` kills one component at a time under load."""
