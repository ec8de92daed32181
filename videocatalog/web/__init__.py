"""Flask pieces shared by every HTTP edge (monolith, SOA presentation, microservices gateway and services)."""

from videocatalog.web.errors import install_error_handlers

__all__ = ["install_error_handlers"]
