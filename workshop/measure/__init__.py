"""Measurement: the HTTP client, seeding, Locust and wrk runs, the process sampler, metadata."""
