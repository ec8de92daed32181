"""Hooks into moto's own event plumbing so S3 and SNS deliver to the platform instead of Docker.

moto computes which S3 notification or SNS subscription matches (filters, prefixes, filter
policies); the hooks only replace the last step, the Lambda call, with an asynchronous invoke.
moto's inline SQS, Kinesis and DynamoDB Streams triggers are switched off: the platform polls those sources itself
(batches, partial failures, visibility timeouts), as Lambda's event source mappings do.
"""

from __future__ import annotations

import json
import logging
import urllib.parse
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from localaws.services.schedules import patch_rule_targets

_installed = False
_platforms: list[Any] = []  # the running platforms of this process, newest last: events go to the newest
log = logging.getLogger(__name__)


def _platform() -> Any:
    return _platforms[-1] if _platforms else None


def _submit(platform: Any, region: str, function_arn: str, event: Any) -> None:
    # The S3 write or SNS publish that triggered this must succeed even if the function is gone.
    try:
        platform.async_invoker.submit_to(region, function_arn, json.dumps(event).encode())
    except Exception:
        log.exception("could not deliver an event to %s", function_arn)


def _esm_property() -> property:
    # While a platform runs, moto sees no mappings on queues/streams, so it never invokes inline.
    def get(self: Any) -> dict[str, Any]:
        if _platform() is not None:
            return {}
        return self.__dict__.setdefault("_moto_esms", {})

    def set_(self: Any, value: dict[str, Any]) -> None:
        self.__dict__["_moto_esms"] = value

    return property(get, set_)


def _s3_invoke(original: Callable[..., Any]) -> Callable[..., Any]:
    def invoke(account_id: str, event_body: Any, fn_arn: str, region_name: str) -> None:
        platform = _platform()
        if platform is None:
            return original(account_id, event_body, fn_arn, region_name)
        for record in event_body.get("Records", []):
            # AWS form-encodes the key but keeps "/"; moto encodes "/" too.
            obj = record.get("s3", {}).get("object", {})
            if "key" in obj:
                obj["key"] = urllib.parse.quote_plus(urllib.parse.unquote(obj["key"]), safe="/")
        _submit(platform, region_name, fn_arn, event_body)

    return invoke


def sns_event(sub: Any, message: str, message_id: str, subject: str | None, attrs: dict[str, Any]) -> dict:
    """The event SNS gives a subscribed Lambda function."""
    record = {
        "Type": "Notification", "MessageId": message_id, "TopicArn": sub.topic.arn, "Subject": subject,
        "Message": message, "Timestamp": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z",
        "SignatureVersion": "1", "Signature": "local", "SigningCertUrl": "local", "UnsubscribeUrl": "local",
        "MessageAttributes": {k: {"Type": v.get("DataType", v.get("Type", "String")),
                                  "Value": v.get("StringValue", v.get("Value"))} for k, v in attrs.items()},
    }
    return {"Records": [{"EventVersion": "1.0", "EventSubscriptionArn": sub.arn, "EventSource": "aws:sns",
                         "Sns": record}]}


def _sns_publish(original: Callable[..., Any]) -> Callable[..., Any]:
    def publish(self: Any, message: str, message_id: str, subject: str | None = None,
                message_attributes: dict[str, Any] | None = None, *args: Any, **kwargs: Any) -> Any:
        platform = _platform()
        if self.protocol != "lambda" or platform is None:
            return original(self, message, message_id, subject, message_attributes, *args, **kwargs)
        attrs = message_attributes or {}
        if self._filter_policy_matcher is not None and not self._filter_policy_matcher.matches(attrs, message):
            return None
        if kwargs.get("message_structure") == "json" or (len(args) >= 3 and args[2] == "json"):
            message = self._parse_message_structure(message, self.protocol)
        region = self.endpoint.split(":")[3]
        event = sns_event(self, message, message_id, subject, attrs)
        _submit(platform, region, self.endpoint, event)
        return None

    return publish


def install_hooks(platform: Any) -> Callable[[], None]:
    """Patch moto once per process and route its events to `platform` until the returned function is called.

    The patches fall back to moto's behaviour when no platform runs.
    """
    global _installed
    if not _installed:
        import moto.s3.notifications as s3n
        from moto.dynamodb.models.table import Table
        from moto.kinesis.models import Stream
        from moto.sns.models import Subscription
        from moto.sqs.models import Queue

        s3n._invoke_awslambda = _s3_invoke(s3n._invoke_awslambda)
        Subscription.publish = _sns_publish(Subscription.publish)  # type: ignore[method-assign]
        Queue.lambda_event_source_mappings = _esm_property()  # type: ignore[assignment]
        Stream.lambda_event_source_mappings = _esm_property()  # type: ignore[assignment]
        Table.lambda_event_source_mappings = _esm_property()  # type: ignore[assignment]
        patch_rule_targets(_platform)
        _installed = True
    _platforms.append(platform)
    return lambda: _platforms.remove(platform) if platform in _platforms else None
