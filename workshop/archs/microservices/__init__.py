"""The microservices architecture: its service list, the two backends and its local AWS."""
