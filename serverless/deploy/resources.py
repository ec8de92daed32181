"""Create (or keep) the stack's data and messaging resources: roles, tables, bucket, stream, topic, queues."""

from __future__ import annotations

import json
from typing import Any

from serverless.deploy.aws import Target, error_code, exists
from serverless.deploy.stack import Resource, Stack


def role(t: Target, stack: Stack, r: Resource) -> None:
    iam = t.client("iam")
    trust = json.dumps(stack.resolve(r.props["AssumeRolePolicyDocument"]))
    if not exists(lambda: iam.get_role(RoleName=r.name), ("NoSuchEntity",)):
        iam.create_role(RoleName=r.name, AssumeRolePolicyDocument=trust,
                        Tags=[{"Key": "workshop:stack", "Value": stack.prefix}])
    for policy in r.props.get("Policies") or []:  # re-put on every deploy: the template is the truth
        iam.put_role_policy(RoleName=r.name, PolicyName=policy["PolicyName"],
                            PolicyDocument=json.dumps(stack.resolve(policy["PolicyDocument"])))


def table(t: Target, stack: Stack, r: Resource) -> None:
    db = t.client("dynamodb")
    p = stack.resolve(r.props)
    if not exists(lambda: db.describe_table(TableName=r.name), ("ResourceNotFoundException",)):
        kwargs: dict[str, Any] = {k: p[k] for k in ("AttributeDefinitions", "KeySchema", "BillingMode") if k in p}
        if p.get("GlobalSecondaryIndexes"):
            kwargs["GlobalSecondaryIndexes"] = p["GlobalSecondaryIndexes"]
        db.create_table(TableName=r.name, **kwargs)
        db.get_waiter("table_exists").wait(TableName=r.name, WaiterConfig={"Delay": 1, "MaxAttempts": 120})
    ttl = p.get("TimeToLiveSpecification")
    if ttl:
        try:
            db.update_time_to_live(TableName=r.name, TimeToLiveSpecification=ttl)
        except Exception as exc:  # already enabled on a redeploy
            if error_code(exc) != "ValidationException":
                raise


def bucket(t: Target, stack: Stack, r: Resource) -> None:
    s3 = t.client("s3")
    if not exists(lambda: s3.head_bucket(Bucket=r.name), ("404", "NoSuchBucket", "NotFound")):
        kwargs: dict[str, Any] = {}
        if t.region != "us-east-1":
            kwargs["CreateBucketConfiguration"] = {"LocationConstraint": t.region}
        s3.create_bucket(Bucket=r.name, **kwargs)
        block = stack.resolve(r.props.get("PublicAccessBlockConfiguration")) or {
            "BlockPublicAcls": True, "IgnorePublicAcls": True, "BlockPublicPolicy": True,
            "RestrictPublicBuckets": True}
        s3.put_public_access_block(Bucket=r.name, PublicAccessBlockConfiguration=block)
    cors = stack.resolve(r.props.get("CorsConfiguration"))
    if cors:  # CloudFormation says MaxAge where the S3 API says MaxAgeSeconds
        rules = [{("MaxAgeSeconds" if k == "MaxAge" else k): v for k, v in rule.items()} for rule in cors["CorsRules"]]
        s3.put_bucket_cors(Bucket=r.name, CORSConfiguration={"CORSRules": rules})
    website = stack.resolve(r.props.get("WebsiteConfiguration"))
    if website:
        s3.put_bucket_website(Bucket=r.name, WebsiteConfiguration={
            "IndexDocument": {"Suffix": website["IndexDocument"]}})
    tags = [{"Key": x["Key"], "Value": str(x["Value"])} for x in stack.resolve(r.props.get("Tags") or [])]
    if tags:
        s3.put_bucket_tagging(Bucket=r.name, Tagging={"TagSet": tags})


def bucket_policy(t: Target, stack: Stack, r: Resource) -> None:
    """Attach a bucket policy (the website bucket's public read)."""
    p = stack.resolve(r.props)
    t.client("s3").put_bucket_policy(Bucket=p["Bucket"], Policy=json.dumps(p["PolicyDocument"]))


def stream(t: Target, stack: Stack, r: Resource) -> None:
    kinesis = t.client("kinesis")
    if not exists(lambda: kinesis.describe_stream_summary(StreamName=r.name), ("ResourceNotFoundException",)):
        kinesis.create_stream(StreamName=r.name, ShardCount=int(r.props.get("ShardCount", 1)))
        kinesis.get_waiter("stream_exists").wait(StreamName=r.name, WaiterConfig={"Delay": 1, "MaxAttempts": 120})


def topic(t: Target, stack: Stack, r: Resource) -> None:
    arn = t.client("sns").create_topic(Name=r.name)["TopicArn"]  # idempotent by name
    stack.ctx.refs[r.logical] = arn


def queue(t: Target, stack: Stack, r: Resource) -> None:
    url = t.client("sqs").create_queue(QueueName=r.name)["QueueUrl"]  # idempotent by name
    stack.ctx.refs[r.logical] = url


def queue_policy(t: Target, stack: Stack, r: Resource) -> None:
    p = stack.resolve(r.props)
    for url in p["Queues"]:
        t.client("sqs").set_queue_attributes(QueueUrl=url, Attributes={"Policy": json.dumps(p["PolicyDocument"])})


def subscription(t: Target, stack: Stack, r: Resource) -> None:
    p = stack.resolve(r.props)
    attrs = {"RawMessageDelivery": "true"} if p.get("RawMessageDelivery") else {}
    # Subscribe is idempotent for the same topic, protocol, endpoint and attributes.
    t.client("sns").subscribe(TopicArn=p["TopicArn"], Protocol=p["Protocol"], Endpoint=p["Endpoint"],
                              Attributes=attrs, ReturnSubscriptionArn=True)


def layer(t: Target, stack: Stack, r: Resource, content: dict[str, str]) -> None:
    lam = t.client("lambda")
    runtimes = r.props.get("CompatibleRuntimes") or []
    out = lam.publish_layer_version(LayerName=r.name, Description=r.props.get("Description", ""),
                                    Content=content, CompatibleRuntimes=runtimes)
    stack.ctx.refs[r.logical] = out["LayerVersionArn"]


CREATORS = {
    "AWS::IAM::Role": role, "AWS::DynamoDB::Table": table, "AWS::S3::Bucket": bucket,
    "AWS::Kinesis::Stream": stream, "AWS::SNS::Topic": topic, "AWS::SQS::Queue": queue,
    "AWS::SQS::QueuePolicy": queue_policy, "AWS::SNS::Subscription": subscription,
    "AWS::S3::BucketPolicy": bucket_policy,
}
