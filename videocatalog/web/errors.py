"""Every error leaves as the contract's JSON shape: never an HTML page, never a traceback."""

from __future__ import annotations

import logging

from flask import Flask, jsonify
from werkzeug.exceptions import HTTPException

from videocatalog.errors import AppError, error_body

log = logging.getLogger(__name__)
HTTP_CODES = {400: "validation_error", 401: "unauthorized", 404: "not_found", 405: "validation_error",
              409: "conflict", 413: "payload_too_large", 429: "throttled", 503: "unavailable"}


def error_response(status: int, code: str, message: str):
    """A Flask response with the contract's error body."""
    resp = jsonify(error_body(code, message))
    resp.status_code = status
    return resp


def install_error_handlers(app: Flask) -> None:
    """Turn AppErrors, HTTP errors and unexpected exceptions into JSON errors."""

    @app.errorhandler(AppError)
    def app_error(exc: AppError):
        resp = jsonify(exc.to_dict())
        resp.status_code = exc.status
        return resp

    @app.errorhandler(HTTPException)
    def http_error(exc: HTTPException):
        status = exc.code or 500
        message = exc.description or exc.name
        if status == 405:
            message = "method not allowed on this path"
        resp = error_response(status, HTTP_CODES.get(status, "internal"), message)
        for key, value in exc.get_headers():
            if key.lower() == "allow":  # RFC 9110: a 405 lists the methods the path does allow
                resp.headers[key] = value
        return resp

    @app.errorhandler(Exception)
    def unexpected(exc: Exception):
        log.exception("unhandled error")
        return error_response(500, "internal", "internal error")
