"""Errors of the contract: each has a code, an HTTP status and a message safe to show."""

from __future__ import annotations

from typing import Any


def error_body(code: str, message: str, **details: Any) -> dict[str, Any]:
    """The contract's error body, `{"error": {"code", "message", ...}}`: every error answer is built here."""
    return {"error": {"code": code, "message": message, **details}}


class AppError(Exception):
    """An error the API reports as `{"error": {"code", "message"}}` with its HTTP status."""

    code = "internal"
    status = 500

    def __init__(self, message: str, **details: Any) -> None:
        super().__init__(message)
        self.message = message
        self.details = details

    def to_dict(self) -> dict[str, Any]:
        """The JSON body of this error."""
        return error_body(self.code, self.message, **self.details)


class ValidationError(AppError):
    code, status = "validation_error", 400

    def __init__(self, field: str, message: str) -> None:
        super().__init__(f"{field}: {message}", field=field)
        self.field = field


class Unauthorized(AppError):
    code, status = "unauthorized", 401


class NotFound(AppError):
    code, status = "not_found", 404


class Conflict(AppError):
    code, status = "conflict", 409


class PayloadTooLarge(AppError):
    code, status = "payload_too_large", 413


class Throttled(AppError):
    code, status = "throttled", 429


class Unavailable(AppError):
    code, status = "unavailable", 503


class Internal(AppError):
    code, status = "internal", 500


ERRORS_BY_CODE: dict[str, type[AppError]] = {
    cls.code: cls
    for cls in (ValidationError, Unauthorized, NotFound, Conflict, PayloadTooLarge, Throttled,
                Unavailable, Internal)
}


def error_from_dict(status: int, body: dict[str, Any]) -> AppError:
    """Rebuild an AppError from a peer's JSON error body (used between tiers and services)."""
    err = body.get("error") or {}
    cls = ERRORS_BY_CODE.get(err.get("code", ""), Internal)
    message = str(err.get("message", "error"))
    if cls is ValidationError:
        field = str(err.get("field", "body"))
        prefix = f"{field}: "
        return ValidationError(field, message[len(prefix):] if message.startswith(prefix) else message)
    return cls(message)
