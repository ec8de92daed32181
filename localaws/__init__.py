"""The local AWS: moto in server mode plus a Lambda platform that runs Python functions for real."""

from localaws.config import PlatformConfig
from localaws.launcher import LocalAws, start_local_aws
from localaws.runtime.logs import read_invocations
from localaws.runtime.meter import read_concurrency

__all__ = ["LocalAws", "PlatformConfig", "read_concurrency", "read_invocations", "start_local_aws"]
