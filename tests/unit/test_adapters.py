"""Every adapter of a port behaves the same: the fakes and SQLite/filesystem are checked side by side."""

import io
import time

import pytest

from videocatalog.adapters.filesystem import FilesystemBlobStore
from videocatalog.adapters.memory import MemoryBlobStore, MemoryJobQueue, MemoryRepository, MemoryViewLog
from videocatalog.adapters.sqlite import Database, SqliteJobQueue, SqliteRepository, SqliteViewLog
from videocatalog.errors import PayloadTooLarge
from videocatalog.model import Rendition, Video
from videocatalog.ports import ListQuery


@pytest.fixture(params=["memory", "sqlite"])
def kind(request):
    return request.param


@pytest.fixture
def repo(kind, tmp_path):
    return MemoryRepository() if kind == "memory" else SqliteRepository(Database(tmp_path / "db.sqlite"))


@pytest.fixture
def jobs(kind, tmp_path):
    return MemoryJobQueue(clock=time.time) if kind == "memory" else SqliteJobQueue(Database(tmp_path / "q.db"))


@pytest.fixture
def views(kind, tmp_path):
    return MemoryViewLog() if kind == "memory" else SqliteViewLog(Database(tmp_path / "v.db"))


@pytest.fixture(params=["memory", "filesystem"])
def blobs(request, tmp_path):
    return MemoryBlobStore() if request.param == "memory" else FilesystemBlobStore(tmp_path / "media")


def _video(i, **kw):
    return Video(id=f"v{i:03d}", title=kw.pop("title", f"Video {i}"), created_at=f"2026-01-01T00:00:{i:02d}.000000Z",
                 **kw)


def test_repository_lists_newest_first_with_pages_and_filters(repo):
    for i in range(7):
        repo.add(_video(i, tags=("cats",) if i % 2 else ("dogs",), description="Über" if i == 3 else ""))
    page = repo.list(ListQuery(limit=3))
    assert [v.id for v in page.items] == ["v006", "v005", "v004"] and page.next_after == (
        page.items[-1].created_at, "v004")
    rest = repo.list(ListQuery(limit=10, after=page.next_after))
    assert [v.id for v in rest.items] == ["v003", "v002", "v001", "v000"] and rest.next_after is None
    assert [v.id for v in repo.list(ListQuery(tag="cats")).items] == ["v005", "v003", "v001"]
    assert [v.id for v in repo.list(ListQuery(q="über")).items] == ["v003"]
    assert [v.id for v in repo.list(ListQuery(q="VIDEO 2")).items] == ["v002"]
    assert repo.list(ListQuery(status="ready")).items == []


def test_repository_round_trips_and_deletes(repo):
    video = _video(1, tags=("a",))
    repo.add(video)
    assert repo.get("v001") == video
    repo.save(video.touch(status="processing"))
    assert repo.get("v001").status == "processing"
    assert repo.delete("v001") and not repo.delete("v001") and repo.get("v001") is None


def test_update_rendition_settles_the_status(repo):
    plan = (Rendition("hq"), Rendition("audio", status="skipped", reason="no_audio"))
    repo.add(_video(1, status="processing", renditions=plan))
    video = repo.update_rendition("v001", Rendition("hq", status="ready", key="k"))
    assert video.status == "ready" and repo.get("v001").status == "ready"
    assert repo.update_rendition("nope", Rendition("hq")) is None


def test_job_queue_redelivers_after_the_lease_and_acks(jobs):
    jobs.enqueue({"n": 1})
    first = jobs.claim(lease_s=0.2)
    assert first.body == {"n": 1} and jobs.claim(lease_s=0.2) is None
    time.sleep(0.25)
    again = jobs.claim(lease_s=30)
    assert again.body == {"n": 1} and again.attempts == 2
    jobs.ack(first)  # a stale receipt must not delete the redelivered job
    jobs.release(again)
    third = jobs.claim(lease_s=30)
    jobs.ack(third)
    assert jobs.claim(lease_s=30) is None


def test_view_log_counts_recent_views(views):
    now = time.time()
    for video_id, at in [("a", now), ("b", now), ("b", now), ("c", now - 7200)]:
        views.record(video_id, at)
    assert views.top(now - 3600, 10) == [("b", 2), ("a", 1)]
    views.forget("b")
    assert views.top(now - 3600, 10) == [("a", 1)]


def test_blob_store_streams_limits_and_deletes(blobs, tmp_path):
    assert blobs.put_stream("sources/v1", io.BytesIO(b"x" * 100), max_bytes=100) == 100
    with pytest.raises(PayloadTooLarge):
        blobs.put_stream("sources/v2", io.BytesIO(b"x" * 101), max_bytes=100)
    assert blobs.size("sources/v2") is None and b"".join(blobs.open("sources/v1")) == b"x" * 100
    path = tmp_path / "r.bin"
    path.write_bytes(b"rendition")
    blobs.put_file("renditions/v1/hq.mp4", str(path))
    blobs.get_to_file("renditions/v1/hq.mp4", str(tmp_path / "copy"))
    assert (tmp_path / "copy").read_bytes() == b"rendition"
    assert blobs.delete_prefix("renditions/v1/") == 1 and blobs.size("renditions/v1/hq.mp4") is None


def _open_database(path):
    try:
        Database(path)
        return None
    except Exception as exc:  # reported back to the parent: a child's traceback would be lost
        return str(exc)


def test_processes_opening_a_new_database_together_all_succeed(tmp_path):
    # gunicorn workers boot together and all open (and switch to WAL) the same new file.
    import multiprocessing

    with multiprocessing.get_context("fork").Pool(6) as pool:
        for round_ in range(10):
            errors = pool.map(_open_database, [str(tmp_path / f"db{round_}.sqlite")] * 6)
            assert errors == [None] * 6


def test_a_transaction_commits_on_success_and_rolls_back_on_error(tmp_path):
    db = Database(tmp_path / "t.db")
    repo = SqliteRepository(db)
    with db.transaction():
        repo.add(Video(id="kept", title="Kept"))
    with pytest.raises(RuntimeError), db.transaction():
        repo.add(Video(id="dropped", title="Dropped"))
        raise RuntimeError("a failure half way through the unit of work")
    assert repo.get("kept") is not None and repo.get("dropped") is None
    with db.transaction():  # the connection is usable again: no transaction was left open
        repo.add(Video(id="after", title="After"))
    assert repo.get("after") is not None
