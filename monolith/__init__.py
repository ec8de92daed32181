"""The monolith: one Flask unit serving the whole contract, with transcoding inside the same unit."""
