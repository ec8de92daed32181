"""workshop.lab.cognito: notebook 06's Cognito section against a real local AWS (gateway and Lambda included)."""

from __future__ import annotations

import pytest

from localaws import start_local_aws
from workshop.lab import aws as lab_aws
from workshop.lab import cognito


class InProcessLocalAws:
    """Stands in for a LabAws: clients of a local AWS started in this process."""

    def __init__(self, running) -> None:
        self.running = running

    def client(self, service: str, retries: bool = True):
        return lab_aws.client(self.running.endpoint, service, retries)

    def gateway_url(self, api_id: str, stage: str | None = None) -> str:
        return self.running.gateway_url(api_id, stage)


@pytest.fixture(scope="module")
def aws(tmp_path_factory):
    with start_local_aws(tmp_path_factory.mktemp("cognito")) as running:
        yield InProcessLocalAws(running)


def test_cognito_demo_lets_only_the_signed_in_user_through(aws):
    echo = lab_aws.deploy_function(aws, "echo", "echo", timeout_s=5)
    shown = cognito.cognito_demo(aws, echo)
    assert shown["status_without_token"] == 401 and shown["body_without_token"] == {"message": "Unauthorized"}
    assert shown["status_with_forged_token"] == 401
    assert shown["status_with_id_token"] == 200
    claims = shown["claims_seen_by_function"]
    assert claims["cognito:username"] == "ada" and claims["aud"] == shown["client_id"]
    assert claims["iss"] == shown["issuer"] == cognito.issuer_of(shown["issuer"].rsplit("/", 1)[1])
    assert shown["url"].endswith("/me")


def test_a_wrong_password_gets_no_tokens(aws):
    pool = cognito.user_pool(aws, "strict")
    with pytest.raises(aws.client("cognito-idp").exceptions.NotAuthorizedException):
        cognito.sign_in(aws, pool, password="wrong-Password-1")
    assert set(cognito.sign_in(aws, pool)) == {"IdToken", "AccessToken", "RefreshToken"}
