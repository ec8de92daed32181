"""The local AWS: moto in server mode plus a Lambda platform that runs Python functions for real."""

from .config import PlatformConfig
from .launcher import LocalAws, start_local_aws
from .logs import read_invocations

__all__ = ["LocalAws", "PlatformConfig", "read_invocations", "start_local_aws"]
