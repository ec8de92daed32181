"""The API gateway front: /_aws/execute-api/{api_id}/... routed by the API configuration stored in moto."""

from __future__ import annotations

import json
import threading
import time
from typing import Any

from werkzeug.wrappers import Request, Response

from localaws.apigw import cors
from localaws.apigw.deployments import after_write as after_http_write
from localaws.apigw.events import HttpResponse, gateway_error
from localaws.apigw.http_api import HttpApi, load_http_api, resolve
from localaws.apigw.jwt_auth import JwtVerifier
from localaws.apigw.rest_api import RestApi, load_rest_api
from localaws.config import PlatformConfig, default_region
from localaws.front import GATEWAY_PREFIX
from localaws.invoke.api import region_of
from localaws.invoke.sync import InvokeResult, InvokeService
from localaws.runtime.pool import Throttled
from localaws.services.state import FunctionNotFound


class TokenBucket:
    """Stage throttling (rate per second, burst) as API Gateway applies it."""

    def __init__(self, rate: float, burst: int) -> None:
        self.rate, self.burst = rate, max(burst, 1)
        self.tokens, self.at = float(self.burst), time.monotonic()
        self._lock = threading.Lock()

    def take(self) -> bool:
        with self._lock:
            now = time.monotonic()
            self.tokens = min(self.burst, self.tokens + (now - self.at) * self.rate)
            self.at = now
            if self.tokens >= 1:
                self.tokens -= 1
                return True
            return False


class Gateway:
    """Dispatches gateway requests to HTTP APIs (v2) or REST APIs (v1) and enforces the limits."""

    def __init__(self, invoker: InvokeService, clients: Any, cfg: PlatformConfig) -> None:
        self.invoker, self.cfg = invoker, cfg
        self.http = HttpApi(self._call_from("http"), self.throttle, JwtVerifier(clients.endpoint))
        self.rest = RestApi(self._call_from("rest"), clients)
        self._cache: dict[tuple[str, str], tuple[str, Any]] = {}
        self._buckets: dict[tuple[str, str, float, int], TokenBucket] = {}
        self._lock = threading.Lock()

    def invalidate(self, path: str) -> None:
        """Forget cached API configurations after a control-plane write."""
        if path.startswith(("/v2/", "/restapis")):
            with self._lock:
                self._cache.clear()

    def _load(self, region: str, api_id: str) -> tuple[str, Any]:
        with self._lock:
            if (region, api_id) in self._cache:
                return self._cache[(region, api_id)]
        api = load_http_api(region, api_id)
        found: tuple[str, Any] = ("http", api) if api else ("rest", load_rest_api(region, api_id))
        with self._lock:
            self._cache[(region, api_id)] = found
        return found

    def throttle(self, api_id: str, stage: str, settings: dict[str, Any] | None) -> bool:
        """True when the stage's throttling settings allow one more request now."""
        rate = (settings or {}).get("ThrottlingRateLimit") or (settings or {}).get("throttlingRateLimit")
        burst = (settings or {}).get("ThrottlingBurstLimit") or (settings or {}).get("throttlingBurstLimit")
        if not rate and not burst:
            return True
        key = (api_id, stage, float(rate or burst or 0), int(burst or rate or 0))
        with self._lock:
            bucket = self._buckets.setdefault(key, TokenBucket(key[2], key[3]))
        return bucket.take()

    def __call__(self, request: Request) -> Response:
        api_id, _, tail = request.path[len(GATEWAY_PREFIX):].partition("/")
        if (request.content_length or 0) > self.cfg.gateway_payload_limit:
            out = gateway_error(413, "Request Entity Too Large")
        else:
            region = default_region()
            kind, api = self._load(region, api_id)
            if api is None:
                out = gateway_error(404, "Not Found")
            elif kind == "http":
                out = self._http(request, region, api_id, api, "/" + tail)
            else:
                out = self.rest.handle(request, region, api_id, api, "/" + tail)
        resp = Response(out.body, out.status)
        for key, value in out.headers.items():
            resp.headers[key] = value
        for cookie in out.cookies:
            resp.headers.add("Set-Cookie", cookie)
        resp.headers.setdefault("Content-Type", "application/json")
        return resp

    def _http(self, request: Request, region: str, api_id: str, api: dict[str, Any], rest: str) -> HttpResponse:
        served = resolve(api, rest)  # the stage's deployment: its CORS configuration too
        if served is None:
            return gateway_error(404, "Not Found")
        if cors.is_preflight(served.view.get("cors"), request):
            return cors.preflight(served.view["cors"], request)
        out = self.http.handle(request, region, api_id, api, served)
        cors.decorate(served.view.get("cors"), request, out)
        return out

    def after_control_write(self, environ: dict[str, Any]) -> None:
        """After an API Gateway write: keep HTTP AutoDeploy stages current, drop the cached API."""
        path = environ.get("PATH_INFO", "")
        if not path.startswith(("/v2/", "/restapis")):
            return  # every other service's POST passes here: nothing to do, at once
        region = region_of(Request(environ))
        if path.startswith("/v2/apis/"):
            after_http_write(region, path)
        self.invalidate(path)  # again: a request served while the write ran may have cached the old API

    def _call_from(self, kind: str) -> Any:
        """call_lambda with the integration timeout of an HTTP API (30 s, fixed) or a REST API (29 s, raisable)."""
        def call(region: str, function: str, event: dict[str, Any], timeout_s: float) -> bytes | HttpResponse:
            cap = self.cfg.integration_timeout_s if kind == "http" else self.cfg.rest_timeout_s
            return self.call_lambda(region, function, event, min(timeout_s, cap) * self.cfg.apigw_time_scale)
        return call

    def call_lambda(self, region: str, function: str, event: dict[str, Any], timeout_s: float) -> bytes | HttpResponse:
        """Invoke synchronously, answering 504 after timeout_s; gateway errors as HttpResponse."""
        box: dict[str, Any] = {}

        def run() -> None:
            try:
                box["result"] = self.invoker.invoke(region, function, None, json.dumps(event).encode())
            except Exception as exc:  # reported to the waiting request thread
                box["error"] = exc

        worker = threading.Thread(target=run, daemon=True)
        worker.start()
        worker.join(timeout_s)
        if worker.is_alive():
            # The function keeps running to its own timeout, as on AWS; the client gets 504 now.
            return gateway_error(504, "Endpoint request timed out")
        if isinstance(box.get("error"), Throttled):
            return gateway_error(429, "Too Many Requests")
        if isinstance(box.get("error"), FunctionNotFound) or "error" in box:
            return gateway_error(500, "Internal Server Error")
        result: InvokeResult = box["result"]
        if result.function_error:
            return gateway_error(500, "Internal Server Error")
        return result.payload
