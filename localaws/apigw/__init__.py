"""API Gateway: HTTP and REST APIs, routes, proxy events, authorizers, OpenAPI import, Velocity."""
