"""The browser side of the web page's tests: Debian's Chromium under Playwright, step screenshots, axe-core.

Playwright drives the Chromium installed by `scripts/setup.sh --dev` (`apt-get install chromium`); its own
browser download is never used. Screenshots go to `results/<timestamp>-browser/<arch>/<test>/NN-step.png`
(or `$WEBUI_SHOTS_DIR`), and a failing step leaves `NN-step-FAILED.png`.
"""

from __future__ import annotations

import os
import re
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

CHROMIUM = os.environ.get("WEBUI_CHROMIUM", "/usr/bin/chromium")
AXE_JS = Path(__file__).parent / "vendor" / "axe.min.js"  # axe-core 4.14.1 from npm, see vendor/README.md
PROJECT_ROOT = Path(__file__).resolve().parents[2]
RUN_DIR = Path(os.environ.get("WEBUI_SHOTS_DIR") or
               PROJECT_ROOT / "results" / f"{time.strftime('%Y%m%d-%H%M%S')}-browser")
CHROMIUM_ARGS = [
    "--autoplay-policy=no-user-gesture-required",
    # The serverless page is on `localhost` (another origin than the API on 127.0.0.1): resolve it to
    # 127.0.0.1 only, so the browser, like every test, talks to 127.0.0.1 and nothing else.
    "--host-resolver-rules=MAP localhost 127.0.0.1",
]
LOCAL_HOSTS = {"127.0.0.1", "localhost"}


def missing_browser() -> str | None:
    """Why the browser tests cannot run here, or None when they can."""
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "playwright is not installed (bash scripts/setup.sh --dev)"
    if not os.access(CHROMIUM, os.X_OK):
        return f"no Chromium at {CHROMIUM} (bash scripts/setup.sh --dev as root installs Debian's chromium)"
    return None


@contextmanager
def chromium() -> Iterator[Any]:
    """A headless Chromium (Debian's) for the module; closed at the end."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


class Steps:
    """Named steps of one test, each ending with a screenshot; a failing step's is kept as -FAILED."""

    def __init__(self, page: Any, folder: Path) -> None:
        self.page, self.folder, self.count = page, folder, 0
        folder.mkdir(parents=True, exist_ok=True)
        self.requested: list[str] = []
        page.on("request", lambda request: self.requested.append(request.url))

    @contextmanager
    def __call__(self, name: str) -> Iterator[None]:
        self.count += 1
        base = self.folder / f"{self.count:02d}-{re.sub(r'[^a-z0-9-]+', '-', name.lower())}"
        started = time.monotonic()
        try:
            yield
        except BaseException:
            self.page.screenshot(path=f"{base}-FAILED.png", full_page=True)
            self._log(base.name, started, "FAILED")
            raise
        self.page.screenshot(path=f"{base}.png", full_page=True)
        self._log(base.name, started, "ok")

    def _log(self, step: str, started: float, outcome: str) -> None:
        # steps.tsv: how long each step took (the CI cost of the browser tests, step by step)
        with (self.folder / "steps.tsv").open("a") as out:
            out.write(f"{step}\t{time.monotonic() - started:.2f}\t{outcome}\n")

    def foreign_requests(self) -> list[str]:
        """Every URL the page asked for that is not on this machine's loopback."""
        return [u for u in self.requested if urlsplit(u).scheme in ("http", "https")
                and urlsplit(u).hostname not in LOCAL_HOSTS]


def axe_violations(page: Any) -> list[str]:
    """axe-core's WCAG 2 A/AA violations on the page as it is, one line each (rule, first target)."""
    page.add_script_tag(path=str(AXE_JS))
    found = page.evaluate("""async () => {
        const result = await axe.run(document, {runOnly: {type: "tag", values: ["wcag2a", "wcag2aa"]}});
        return result.violations.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target).join(", ")})`);
    }""")
    return list(found)
