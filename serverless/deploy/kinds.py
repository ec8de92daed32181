"""The one table of the AWS resource types the template declares: their order, names, ARNs and Refs.

The stack reads names, ARNs and Refs from it; the deployer creates, and teardown deletes, in its order
(teardown backwards); the leftover check lists each type it names. A type the template uses that is not
here stops the stack before any AWS call.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Kind:
    """What is known about one resource type before any resource of it exists."""

    type: str
    name_property: str | None = None  # the template property that names it
    arn: str | None = None  # its ARN from {region}, {account} and {name}
    ref: str | None = None  # what Ref gives before it exists: "name", "arn", or None (known later, or never)
    name_attribute: str | None = None  # the Fn::GetAtt attribute that gives its name, if any
    listed: bool = False  # the leftover check lists it by name after a teardown
    removed_with: str | None = None  # the type whose deletion removes it too (no deletion of its own)


# Dependency order: roles before functions, data stores before the functions that name them, functions
# before their event sources and the APIs that route to them. Teardown walks it backwards.
KINDS = (
    Kind("AWS::IAM::Role", "RoleName", "arn:aws:iam::{account}:role/{name}", "name", listed=True),
    Kind("AWS::DynamoDB::Table", "TableName", "arn:aws:dynamodb:{region}:{account}:table/{name}", "name",
         listed=True),
    Kind("AWS::S3::Bucket", "BucketName", "arn:aws:s3:::{name}", "name", listed=True),
    Kind("AWS::S3::BucketPolicy", removed_with="AWS::S3::Bucket"),
    Kind("AWS::Kinesis::Stream", "Name", "arn:aws:kinesis:{region}:{account}:stream/{name}", "name", listed=True),
    Kind("AWS::SNS::Topic", "TopicName", "arn:aws:sns:{region}:{account}:{name}", "arn", "TopicName", listed=True),
    Kind("AWS::SQS::Queue", "QueueName", "arn:aws:sqs:{region}:{account}:{name}", None, "QueueName", listed=True),
    Kind("AWS::SQS::QueuePolicy", removed_with="AWS::SQS::Queue"),
    Kind("AWS::SNS::Subscription", removed_with="AWS::SNS::Topic"),
    Kind("AWS::Serverless::LayerVersion", "LayerName", listed=True),
    Kind("AWS::Serverless::Function", "FunctionName", "arn:aws:lambda:{region}:{account}:function:{name}", "name",
         listed=True),
    Kind("AWS::Serverless::HttpApi", "Name", listed=True),
    Kind("AWS::ApiGateway::RestApi", "Name", listed=True),
    Kind("AWS::ApiGateway::Resource", removed_with="AWS::ApiGateway::RestApi"),
    Kind("AWS::ApiGateway::Method", removed_with="AWS::ApiGateway::RestApi"),
    Kind("AWS::ApiGateway::Stage", removed_with="AWS::ApiGateway::RestApi"),
)
BY_TYPE = {k.type: k for k in KINDS}
ORDER = [k.type for k in KINDS]


def kind(resource_type: str) -> Kind:
    """The table's row for a type; a type it does not know is refused by name."""
    try:
        return BY_TYPE[resource_type]
    except KeyError:
        raise ValueError(f"resource type {resource_type} is not one the deployer knows") from None
