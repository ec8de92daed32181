"""The analytics service: owns view events and titles (its own SQLite) and answers trending.

It keeps a copy of each viewed video's title (sent with the view), so trending needs no call to the
catalog: a read model of its own, eventually consistent, dropped when the video is deleted. The
counting and ranking are the core's `ViewCounter.record_view` and `ViewCounter.trending` on these stores.
"""

from __future__ import annotations

from pathlib import Path

from flask import Flask

from videocatalog import config
from videocatalog.adapters.sqlite import Database, SqliteViewLog
from videocatalog.errors import ValidationError
from videocatalog.model import Video
from videocatalog.service import ViewCounter
from videocatalog.web.serve import serve
from videocatalog.web.service_app import service_app
from videocatalog.web.wire import body, int_arg

TITLES = "CREATE TABLE IF NOT EXISTS titles (video_id TEXT PRIMARY KEY, title TEXT NOT NULL)"


class Titles:
    """The titles of viewed videos: the part of a VideoRepository that trending reads."""

    def __init__(self, db: Database) -> None:
        self.db = db
        db.connect().execute(TITLES)

    def remember(self, video_id: str, title: str) -> None:
        self.db.connect().execute("INSERT OR REPLACE INTO titles VALUES (?, ?)", (video_id, title))

    def get(self, video_id: str) -> Video | None:
        row = self.db.connect().execute("SELECT title FROM titles WHERE video_id = ?", (video_id,)).fetchone()
        return Video(id=video_id, title=row[0]) if row else None

    def forget(self, video_id: str) -> None:
        self.db.connect().execute("DELETE FROM titles WHERE video_id = ?", (video_id,))


def create_app() -> Flask:
    """The analytics service's Flask app."""
    db = Database(Path(config.required("DATA_DIR")) / "analytics.db")
    titles = Titles(db)
    analytics = ViewCounter(titles, SqliteViewLog(db))
    app = service_app("analytics")

    @app.post("/views/<video_id>")
    def record_view(video_id: str):
        title = body().get("title")
        if not isinstance(title, str) or not title:
            raise ValidationError("title", "is required")
        titles.remember(video_id, title)
        analytics.record_view(video_id)
        return {"status": "accepted"}, 202

    @app.get("/trending")
    def trending():
        return {"items": analytics.trending(int_arg("limit", 1, 100, default=10))}

    @app.delete("/views/<video_id>")
    def forget_views(video_id: str):
        analytics.views.forget(video_id)
        titles.forget(video_id)
        return {}

    return app


if __name__ == "__main__":
    config.required("DATA_DIR")
    serve(create_app, int(config.required("PORT")))
