"""The Lambda cold-start study (filled in below)."""

from __future__ import annotations


def lambda_coldstart_study(quick: bool = False):
    """Cold vs warm, light vs heavy imports, memory sizes and a burst, as one DataFrame."""
    raise NotImplementedError("being written")
