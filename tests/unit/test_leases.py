"""The Leases adapters: one holder per name, only the owner releases, a dead holder stops blocking."""

from __future__ import annotations

import io
import subprocess
import sys
import threading
import time

import pytest

from videocatalog.adapters.leases import FlockLeases, MemoryLeases, SqliteLeases
from videocatalog.adapters.memory import MemoryBlobStore, MemoryJobQueue, MemoryRepository, MemoryViewLog
from videocatalog.adapters.sqlite import Database
from videocatalog.errors import Conflict
from videocatalog.service import Catalog, Uploads
from videocatalog.validation import NewVideo


@pytest.fixture(params=["memory", "sqlite", "flock"])
def leases(request, tmp_path):
    if request.param == "memory":
        return MemoryLeases()
    if request.param == "sqlite":
        return SqliteLeases(Database(tmp_path / "leases.db"))
    return FlockLeases(tmp_path / "locks")


def test_a_name_has_one_holder_and_only_its_owner_releases_it(leases):
    assert leases.acquire("upload:v1", "a", 30)
    assert not leases.acquire("upload:v1", "b", 30)
    assert leases.acquire("upload:v2", "b", 30)  # another name is free
    leases.release("upload:v1", "b")  # not b's to release
    assert not leases.acquire("upload:v1", "c", 30)
    leases.release("upload:v1", "a")
    assert leases.acquire("upload:v1", "c", 30)


def test_a_memory_or_sqlite_lease_ends_by_its_ttl(tmp_path):
    for leases in (MemoryLeases(), SqliteLeases(Database(tmp_path / "ttl.db"))):
        assert leases.acquire("n", "dead", 0.2)
        assert not leases.acquire("n", "me", 5)
        time.sleep(0.3)
        assert leases.acquire("n", "me", 5), type(leases).__name__


HOLD_AND_DIE = """
import os, sys
from pathlib import Path
from videocatalog.adapters.leases import FlockLeases, SqliteLeases
from videocatalog.adapters.sqlite import Database
kind, where = sys.argv[1], Path(sys.argv[2])
leases = FlockLeases(where / "locks") if kind == "flock" else SqliteLeases(Database(where / "shared.db"))
assert leases.acquire("upload:v1", "other-process", 1.0)
print("held", flush=True)
sys.stdin.readline()
os._exit(0)  # dies holding it, without releasing
"""


@pytest.mark.parametrize("kind", ["flock", "sqlite"])
def test_leases_are_shared_across_processes_and_outlive_no_dead_holder(kind, tmp_path):
    leases = FlockLeases(tmp_path / "locks") if kind == "flock" else SqliteLeases(Database(tmp_path / "shared.db"))
    holder = subprocess.Popen([sys.executable, "-c", HOLD_AND_DIE, kind, str(tmp_path)],
                              stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "held"
        assert not leases.acquire("upload:v1", "me", 30)  # the other process holds it
        holder.stdin.write("\n")
        holder.stdin.flush()
        holder.wait(timeout=10)
        deadline = time.monotonic() + 5  # flock: dropped at exit; SQLite: ends by its 1 s TTL
        while not leases.acquire("upload:v1", "me", 30):
            assert time.monotonic() < deadline, "the dead holder still blocks the name"
            time.sleep(0.1)
    finally:
        holder.kill()
        holder.wait()


class _GatedStream(io.BytesIO):
    """A source whose first read waits until the test lets it go, so two uploads overlap for sure."""

    def __init__(self, data: bytes, gate: threading.Event, reading: threading.Event) -> None:
        super().__init__(data)
        self.gate, self.reading = gate, reading

    def read(self, size=-1):
        self.reading.set()
        assert self.gate.wait(10)
        return super().read(size)


def test_a_second_upload_during_the_first_is_refused_and_changes_nothing():
    catalog = Catalog(MemoryRepository(), MemoryBlobStore(), MemoryViewLog())
    uploads = Uploads(catalog.repo, catalog.blobs, MemoryJobQueue(clock=time.time), MemoryLeases())
    video = catalog.create(NewVideo("Race"))
    gate, reading, results = threading.Event(), threading.Event(), []
    first = threading.Thread(target=lambda: results.append(
        uploads.accept_upload(video.id, _GatedStream(b"first", gate, reading), 5)))
    first.start()
    assert reading.wait(10)  # the first upload holds the lease and is storing its source
    with pytest.raises(Conflict, match="in progress"):
        uploads.accept_upload(video.id, io.BytesIO(b"second!"), 7)
    gate.set()
    first.join(10)
    assert results and results[0].source.bytes == 5
    with pytest.raises(Conflict, match="already has its upload"):
        uploads.accept_upload(video.id, io.BytesIO(b"third"), 5)
    assert len(uploads.jobs) == 1 and catalog.blobs.blobs == {f"sources/{video.id}": b"first"}


def test_flock_files_are_removed_on_release_and_a_waiting_opener_retries(tmp_path):
    leases = FlockLeases(tmp_path / "locks")
    for i in range(3):
        assert leases.acquire(f"upload:v{i}", "a", 30)
        leases.release(f"upload:v{i}", "a")
    assert list((tmp_path / "locks").iterdir()) == []  # the folder does not grow with every video
    assert leases.acquire("upload:v1", "a", 30)
    other = FlockLeases(tmp_path / "locks")
    assert not other.acquire("upload:v1", "b", 30)
    leases.release("upload:v1", "a")
    assert other.acquire("upload:v1", "b", 30)  # locks the new file, not the unlinked one
    assert not leases.acquire("upload:v1", "c", 30)


def test_sqlite_leases_can_all_be_dropped_when_no_holder_can_be_alive(tmp_path):
    leases = SqliteLeases(Database(tmp_path / "leases.db"))
    assert leases.acquire("upload:v1", "dead", 300) and leases.acquire("upload:v2", "dead", 300)
    assert leases.clear() == 2
    assert leases.acquire("upload:v1", "me", 30)
