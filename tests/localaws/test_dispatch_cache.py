"""The cached dispatcher answers as moto's does, and asks moto once per host."""

from __future__ import annotations

from unittest import mock

from moto.moto_server.werkzeug_app import DomainDispatcherApplication, create_backend_app

from localaws.services.dispatch import CachedDispatcher

HOSTS = [None, "moto_api", "dynamodb", "dynamodbstreams", "sqs.us-east-1.amazonaws.com", "s3.amazonaws.com",
         "kinesis.us-east-1.amazonaws.com", "logs.us-east-1.amazonaws.com", "lambda.us-east-1.amazonaws.com",
         "sns.us-east-1.amazonaws.com", "apigateway.us-east-1.amazonaws.com", "nothing.example"]


def test_same_answers_as_moto_and_computed_once() -> None:
    plain, cached = DomainDispatcherApplication(create_backend_app), CachedDispatcher(create_backend_app)
    for host in HOSTS:
        assert cached.get_backend_for_host(host) == plain.get_backend_for_host(host), host
    with mock.patch.object(DomainDispatcherApplication, "get_backend_for_host") as moto_lookup:
        for host in HOSTS:
            cached.get_backend_for_host(host)
    moto_lookup.assert_not_called()
