"""The catalog's use cases on in-memory fakes."""

import io
import time

import pytest

from videocatalog.adapters.leases import MemoryLeases
from videocatalog.adapters.memory import MemoryBlobStore, MemoryJobQueue, MemoryRepository, MemoryViewLog
from videocatalog.errors import Conflict, NotFound, PayloadTooLarge
from videocatalog.ports import ListQuery
from videocatalog.service import Catalog, Uploads
from videocatalog.validation import NewVideo


@pytest.fixture
def catalog():
    return Catalog(MemoryRepository(), MemoryBlobStore(), MemoryViewLog())


@pytest.fixture
def uploads(catalog):
    return Uploads(catalog.repo, catalog.blobs, MemoryJobQueue(clock=time.time), MemoryLeases(), max_upload_bytes=10)


def test_create_then_upload_queues_one_job(catalog, uploads):
    video = catalog.create(NewVideo("Cats", "", ("pets",)))
    assert video.status == "awaiting_upload"
    after = uploads.accept_upload(video.id, io.BytesIO(b"12345"), 5)
    assert after.status == "processing" and after.source.bytes == 5
    assert uploads.jobs.claim(60).body == {"video_id": video.id}
    with pytest.raises(Conflict):
        uploads.accept_upload(video.id, io.BytesIO(b"1"), 1)


def test_oversized_upload_changes_nothing(catalog, uploads):
    video = catalog.create(NewVideo("Big"))
    with pytest.raises(PayloadTooLarge):
        uploads.accept_upload(video.id, io.BytesIO(b"x" * 11), None)  # no length declared: counted
    with pytest.raises(PayloadTooLarge):
        uploads.accept_upload(video.id, io.BytesIO(b""), 11)  # declared too large: refused unread
    assert catalog.get(video.id).status == "awaiting_upload" and len(uploads.jobs) == 0
    assert catalog.blobs.blobs == {}


def test_delete_removes_everything(catalog, uploads):
    video = catalog.create(NewVideo("Gone"))
    uploads.accept_upload(video.id, io.BytesIO(b"abc"), 3)
    catalog.record_view(video.id)
    catalog.delete(video.id)
    assert catalog.blobs.blobs == {} and catalog.trending() == []
    with pytest.raises(NotFound):
        catalog.get(video.id)
    with pytest.raises(NotFound):
        catalog.delete(video.id)


def test_views_and_trending(catalog):
    a, b = catalog.create(NewVideo("A")), catalog.create(NewVideo("B"))
    for video_id in (a.id, b.id, b.id):
        catalog.record_view(video_id)
    assert catalog.trending() == [{"id": b.id, "title": "B", "views": 2}, {"id": a.id, "title": "A", "views": 1}]
    with pytest.raises(NotFound):
        catalog.record_view("missing")


def test_list_is_newest_first(catalog):
    ids = [catalog.create(NewVideo(f"V{i}")).id for i in range(3)]
    assert [v.id for v in catalog.list(ListQuery()).items] == ids[::-1]
