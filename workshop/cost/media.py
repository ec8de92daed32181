"""Transcoding cost per uploaded minute of video, from the processing time measured in the run."""

from __future__ import annotations

from typing import Any

from workshop.cost.model import Measured, Options, _a, _p


def transcode_per_minute(m: Measured, prices: dict, opts: Options | None = None) -> dict[str, Any]:
    """Compute cost to make every rendition of one uploaded minute, storage per month, and a MediaConvert line."""
    opts = opts or Options()
    seconds = None if m.transcode_s_per_video_s is None else m.transcode_s_per_video_s * 60
    compute = None
    if seconds is not None:
        if m.arch == "serverless":
            gb_price = _p(prices, "lambda_gb_second_arm" if opts.arm64 else "lambda_gb_second_x86")
            if m.lambda_transcode_gb_s_per_video_s is not None:  # measured: billed GB-s of the cascade
                compute = m.lambda_transcode_gb_s_per_video_s * 60 * gb_price
            else:  # wall time at the assumed memory size
                compute = seconds * _a(prices, "lambda_transcode_memory_mb") / 1024 * gb_price
        elif m.arch == "microservices":
            arch = "arm" if opts.arm64 else "x86"
            # the measured wall time used this machine's cores; bill a 2 vCPU / 4 GB task for that long
            compute = seconds / 3600 * (2 * _p(prices, f"fargate_vcpu_hour_{arch}")
                                        + 4 * _p(prices, f"fargate_gb_hour_{arch}"))
        else:
            compute = seconds / 3600 * _p(prices, "ec2_c7g_large_hour" if opts.arm64 else "ec2_c6i_large_hour")
    stored_gb = _a(prices, "source_mb_per_minute") * (1 + _a(prices, "rendition_bytes_per_source_byte")) / 1024
    return {"arch": m.arch, "processing_s_per_minute": seconds, "compute_usd": compute,
            "storage_usd_per_month": stored_gb * _p(prices, "s3_standard_gb_month"),
            "mediaconvert_reference_usd": _p(prices, "mediaconvert_hd_minute")}
