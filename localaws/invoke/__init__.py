"""The Invoke API: synchronous and asynchronous invocations, retries and destinations."""
