"""The transcoding cascade's resume, retry and failure paths, on in-memory ports and a fake transcoder."""

import time

import pytest

from videocatalog import pipeline
from videocatalog.adapters.fake_transcoder import FakeTranscoder
from videocatalog.adapters.memory import MemoryBlobStore, MemoryJobQueue, MemoryRepository
from videocatalog.model import Source, Video
from videocatalog.service import source_key

HD = Source(bytes=0, content_type="video/mp4", duration_s=10.0, width=1280, height=720, has_audio=True)
ALL = ["hq", "480p", "360p", "audio", "thumbnail"]


@pytest.fixture
def ports():
    repo, blobs, jobs = MemoryRepository(), MemoryBlobStore(), MemoryJobQueue(clock=time.time)
    video = Video(id="v1", title="Clip", status="processing")
    repo.add(video)
    blobs.blobs[source_key("v1")] = b"source bytes"
    jobs.enqueue({"video_id": "v1"})
    return repo, blobs, jobs


def work(ports, transcoder) -> bool:
    repo, blobs, jobs = ports
    return pipeline.work_once(repo, blobs, jobs, transcoder, lease_s=0)  # lease 0: a released job is back at once


def test_every_rendition_is_made_stored_and_the_video_is_ready(ports):
    repo, blobs, jobs = ports
    fake = FakeTranscoder(HD)
    assert work(ports, fake) and len(jobs) == 0
    video = repo.get("v1")
    assert video.status == "ready" and fake.rendered == ALL
    assert {r.name: r.status for r in video.renditions} == dict.fromkeys(ALL, "ready")
    assert blobs.blobs[next(r.key for r in video.renditions if r.name == "360p")] == b"360p"


def test_a_source_that_is_not_video_fails_with_unsupported_media(ports):
    repo, _, jobs = ports
    assert work(ports, FakeTranscoder(None)) and len(jobs) == 0
    video = repo.get("v1")
    assert video.status == "failed" and video.error["code"] == "unsupported_media" and video.renditions == ()


def test_a_crash_mid_cascade_resumes_without_redoing_what_was_made(ports):
    repo, _, jobs = ports
    assert work(ports, FakeTranscoder(HD, crashing=("360p",)))
    assert len(jobs) == 1 and repo.get("v1").status == "processing"  # released for another attempt
    second = FakeTranscoder(HD)
    assert work(ports, second) and len(jobs) == 0
    assert second.rendered == ["360p", "audio", "thumbnail"]  # hq and 480p were kept from the first attempt
    assert repo.get("v1").status == "ready"


def test_a_job_that_keeps_crashing_fails_the_video_after_the_last_attempt(ports):
    repo, _, jobs = ports
    for attempt in range(1, pipeline.MAX_ATTEMPTS + 1):
        assert work(ports, FakeTranscoder(HD, crashing=("hq",)))
        assert len(jobs) == (0 if attempt == pipeline.MAX_ATTEMPTS else 1)
    video = repo.get("v1")
    assert video.status == "failed" and video.error["code"] == "processing_failed"
    assert f"after {pipeline.MAX_ATTEMPTS} attempts" in video.error["message"]
    assert not work(ports, FakeTranscoder(HD))  # nothing left in the queue


def test_a_failed_rendition_fails_the_video_and_names_it(ports):
    repo, _, _ = ports
    work(ports, FakeTranscoder(HD, failing=("480p",)))
    video = repo.get("v1")
    assert video.status == "failed" and "480p" in video.error["message"]


def test_a_video_deleted_while_transcoding_leaves_no_rendition_behind(ports):
    repo, blobs, _ = ports

    class DeletingTranscoder(FakeTranscoder):
        def render(self, src_path, rendition, source, out_path):
            made = super().render(src_path, rendition, source, out_path)
            if rendition.name == "480p":
                repo.delete("v1")  # a DELETE arrives while the worker renders
            return made

    assert work(ports, DeletingTranscoder(HD))
    assert repo.get("v1") is None
    assert not [k for k in blobs.blobs if k.startswith("renditions/v1/")]


def test_a_finished_video_is_left_alone_when_its_job_comes_again(ports):
    repo, _, jobs = ports
    work(ports, FakeTranscoder(HD))
    jobs.enqueue({"video_id": "v1"})  # at-least-once delivery: the same job again
    again = FakeTranscoder(HD)
    assert work(ports, again) and again.rendered == [] and repo.get("v1").status == "ready"


def test_the_worker_loop_survives_errors_pauses_on_an_outage_and_stops_when_told():
    import threading

    from videocatalog.errors import Unavailable

    stop, calls, idle = threading.Event(), [], []
    outcomes = [True, Unavailable("data tier down"), Unavailable("still down"), RuntimeError("bug"), False, True]

    def step() -> bool:
        calls.append(1)
        outcome = outcomes[len(calls) - 1]
        if len(calls) == len(outcomes):
            stop.set()
        if isinstance(outcome, Exception):
            raise outcome
        return outcome

    pipeline.work_until(stop, step, idle_s=0, when_idle=lambda: idle.append(1), error_wait_s=0)
    assert len(calls) == len(outcomes) and idle == [1]  # every error survived; idle once, on the empty poll


class DownBlobs(MemoryBlobStore):
    """A blob store whose service is down (a peer restarting) until `up` is set."""

    up = False

    def get_to_file(self, key: str, path: str) -> None:
        from videocatalog.errors import Unavailable

        if not self.up:
            raise Unavailable("upload is unreachable")
        super().get_to_file(key, path)


def test_a_peer_down_delays_the_job_without_using_up_its_attempts(ports):
    repo, _, jobs = ports
    blobs = DownBlobs()
    blobs.blobs[source_key("v1")] = b"source bytes"
    from videocatalog.errors import Unavailable

    for attempt in range(1, pipeline.MAX_ATTEMPTS + 2):  # more outages than attempts: still not failed
        jobs._jobs[next(iter(jobs._jobs))]["visible_at"] = 0.0  # the backoff, skipped by the test
        with pytest.raises(Unavailable):  # the loop sees it and pauses
            pipeline.work_once(repo, blobs, jobs, FakeTranscoder(HD), lease_s=600)
        [state] = jobs._jobs.values()
        assert state["visible_at"] - time.time() == pytest.approx(pipeline.unavailable_backoff_s(attempt), abs=1)
        assert repo.get("v1").status == "processing"
    blobs.up = True
    jobs._jobs[next(iter(jobs._jobs))]["visible_at"] = 0.0
    assert pipeline.work_once(repo, blobs, jobs, FakeTranscoder(HD), lease_s=600) and len(jobs) == 0
    assert repo.get("v1").status == "ready"
    assert [pipeline.unavailable_backoff_s(n) for n in (1, 2, 3, 9)] == [5, 10, 20, 60]
