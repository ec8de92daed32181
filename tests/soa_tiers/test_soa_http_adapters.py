"""The HTTP adapters behave like the local ones, against a real data tier (served in-process)."""

from __future__ import annotations

import io
import time

import pytest

from soa.leases import HttpLeases
from videocatalog.adapters.http_data import HttpBlobStore, HttpJobQueue, HttpRepository, HttpViewLog, http_ports
from videocatalog.adapters.leases import MemoryLeases
from videocatalog.errors import Conflict, NotFound, PayloadTooLarge, ValidationError
from videocatalog.model import Rendition, Video
from videocatalog.ports import ListQuery
from videocatalog.service import Catalog, Uploads
from videocatalog.validation import NewVideo


def _video(i: int, **kw) -> Video:
    return Video(id=f"v{i:03d}", title=kw.pop("title", f"Video {i}"),
                 created_at=f"2026-01-01T00:00:{i:02d}.000000Z", **kw)


def test_repository_round_trips_lists_and_deletes(peer):
    repo = HttpRepository(peer)
    for i in range(5):
        repo.add(_video(i, tags=("cats",) if i % 2 else ("dogs",), description="Über" if i == 3 else ""))
    assert repo.get("v003") == _video(3, tags=("cats",), description="Über")
    page = repo.list(ListQuery(limit=2))
    assert [v.id for v in page.items] == ["v004", "v003"] and page.next_after == (page.items[-1].created_at, "v003")
    assert [v.id for v in repo.list(ListQuery(limit=10, after=page.next_after)).items] == ["v002", "v001", "v000"]
    assert [v.id for v in repo.list(ListQuery(tag="cats")).items] == ["v003", "v001"]
    assert [v.id for v in repo.list(ListQuery(q="über")).items] == ["v003"]
    repo.save(repo.get("v001").touch(status="processing"))
    assert repo.get("v001").status == "processing"
    assert repo.delete("v001") and not repo.delete("v001") and repo.get("v001") is None


def test_adding_an_existing_id_is_a_conflict(peer):
    repo = HttpRepository(peer)
    repo.add(_video(1))
    with pytest.raises(Conflict):
        repo.add(_video(1, title="again"))
    assert repo.get("v001").title == "Video 1"


def test_update_rendition_is_done_by_the_data_tier_and_settles(peer):
    repo = HttpRepository(peer)
    repo.add(_video(1, status="processing", renditions=(Rendition("hq"), Rendition("audio"))))
    half = repo.update_rendition("v001", Rendition("hq", status="ready", key="renditions/v001/hq.mp4", bytes=3))
    assert half.status == "processing" and half.rendition("hq").bytes == 3
    done = repo.update_rendition("v001", Rendition("audio", status="skipped", reason="no_audio"))
    assert done.status == "ready" and repo.get("v001") == done
    assert repo.update_rendition("missing", Rendition("hq")) is None


def test_blobs_stream_both_ways_with_the_limit(peer, tmp_path):
    blobs = HttpBlobStore(peer)
    data = bytes(range(256)) * 1000  # several chunks
    assert blobs.put_stream("sources/v1", io.BytesIO(data), max_bytes=len(data)) == len(data)
    with pytest.raises(PayloadTooLarge):
        blobs.put_stream("sources/v2", io.BytesIO(data), max_bytes=len(data) - 1)
    assert blobs.size("sources/v2") is None and blobs.size("sources/v1") == len(data)
    assert b"".join(blobs.open("sources/v1")) == data
    (tmp_path / "r.bin").write_bytes(b"rendition")
    assert blobs.put_file("renditions/v1/hq.mp4", str(tmp_path / "r.bin")) == 9
    blobs.get_to_file("renditions/v1/hq.mp4", str(tmp_path / "copy"))
    assert (tmp_path / "copy").read_bytes() == b"rendition"
    assert blobs.delete_prefix("renditions/v1/") == 1 and blobs.size("renditions/v1/hq.mp4") is None
    with pytest.raises(NotFound):
        blobs.open("renditions/v1/hq.mp4")
    with pytest.raises(ValidationError):
        blobs.size("../outside")


def test_job_queue_leases_acks_and_releases(peer):
    jobs = HttpJobQueue(peer)
    jobs.enqueue({"video_id": "v1"})
    first = jobs.claim(lease_s=0.3)
    assert first.body == {"video_id": "v1"} and first.attempts == 1 and jobs.claim(lease_s=0.3) is None
    time.sleep(0.4)
    second = jobs.claim(lease_s=30)
    assert second.attempts == 2
    jobs.release(second)
    third = jobs.claim(lease_s=30)
    assert jobs.release_claimed() == 1
    fourth = jobs.claim(lease_s=30)
    assert fourth.attempts == 4 and third.body == fourth.body
    jobs.release(fourth, delay_s=0.3)  # a peer was down: back later, not at once
    assert jobs.claim(lease_s=30) is None
    time.sleep(0.4)
    fifth = jobs.claim(lease_s=30)
    assert fifth.attempts == 5
    jobs.ack(fifth)
    assert jobs.claim(lease_s=0) is None


def test_view_log_counts_and_forgets(peer):
    views = HttpViewLog(peer)
    now = time.time()
    for video_id, at in (("a", now), ("a", now), ("b", now), ("c", now - 7200)):
        views.record(video_id, at)
    assert views.top(now - 3600, 10) == [("a", 2), ("b", 1)]
    views.forget("a")
    assert views.top(now - 3600, 10) == [("b", 1)]


def test_the_catalog_runs_unchanged_on_the_http_ports(peer):
    repo, blobs, jobs, views = http_ports(peer)
    catalog, uploads = Catalog(repo, blobs, views), Uploads(repo, blobs, jobs, MemoryLeases(), max_upload_bytes=1000)
    video = catalog.create(NewVideo("Cats on HTTP", tags=("cats",)))
    with pytest.raises(PayloadTooLarge):
        uploads.accept_upload(video.id, io.BytesIO(b"x" * 1001), None)
    assert catalog.get(video.id).status == "awaiting_upload"
    accepted = uploads.accept_upload(video.id, io.BytesIO(b"x" * 1000), 1000)
    assert accepted.status == "processing" and accepted.source.bytes == 1000
    with pytest.raises(Conflict):
        uploads.accept_upload(video.id, io.BytesIO(b"y"), 1)
    catalog.record_view(video.id)
    assert catalog.trending() == [{"id": video.id, "title": "Cats on HTTP", "views": 1}]
    assert [v.id for v in catalog.list(ListQuery(q="CATS")).items] == [video.id]
    catalog.delete(video.id)
    with pytest.raises(NotFound):
        catalog.get(video.id)
    assert catalog.blobs.size(f"sources/{video.id}") is None and catalog.trending() == []


def test_a_lease_has_one_holder_at_a_time_and_ends_by_itself(peer):
    leases = HttpLeases(peer)
    assert leases.acquire("upload:v1", "a", 30)
    assert not leases.acquire("upload:v1", "b", 30)
    assert leases.acquire("upload:v2", "b", 30)  # another name is free
    leases.release("upload:v1", "b")  # not b's to release
    assert not leases.acquire("upload:v1", "c", 30)
    leases.release("upload:v1", "a")
    assert leases.acquire("upload:v1", "c", 30)
    assert leases.acquire("n", "dead", 0.2)
    assert not leases.acquire("n", "me", 5)
    time.sleep(0.3)  # the dead holder's lease ran out
    assert leases.acquire("n", "me", 5)
