"""Adapters for the ports: in-memory fakes, SQLite, the filesystem, and AWS through boto3."""
