"""EventBridge (CloudWatch Events) -> Lambda: rule targets on put_events, and rate() schedules."""

from __future__ import annotations

import json

RECORDER = """
import json
def handler(event, context):
    print("SEEN " + json.dumps(event))
"""


def arn(name: str) -> str:
    return f"arn:aws:lambda:us-east-1:123456789012:function:{name}"


def test_put_events_matching_a_rule_invokes_the_lambda_target(client, deploy, seen):
    events = client("events")
    name = deploy(RECORDER)
    events.put_rule(Name="video-ready", EventPattern=json.dumps({"source": ["videocatalog"],
                                                                 "detail-type": ["VideoReady"]}))
    events.put_targets(Rule="video-ready", Targets=[{"Id": "1", "Arn": arn(name)}])
    events.put_events(Entries=[{"Source": "other", "DetailType": "VideoReady", "Detail": "{}"},
                               {"Source": "videocatalog", "DetailType": "VideoReady", "Detail": '{"id": "v1"}'}])
    got = seen(name, 1)
    assert len(got) == 1 and got[0]["detail"] == {"id": "v1"} and got[0]["source"] == "videocatalog"


def test_rate_schedule_fires_scheduled_events(client, deploy, seen, aws):
    events = client("events")
    name = deploy(RECORDER)
    rule_arn = events.put_rule(Name="every-minute", ScheduleExpression="rate(1 minute)")["RuleArn"]
    events.put_targets(Rule="every-minute", Targets=[{"Id": "1", "Arn": arn(name)}])
    old = aws.schedules.time_scale
    aws.schedules.time_scale = 0.005  # one "minute" is 0.3 s
    try:
        got = seen(name, 2, timeout=15)
    finally:
        aws.schedules.time_scale = old
        events.disable_rule(Name="every-minute")
    assert got[0]["detail-type"] == "Scheduled Event" and got[0]["resources"] == [rule_arn]
    assert got[0]["source"] == "aws.events"
