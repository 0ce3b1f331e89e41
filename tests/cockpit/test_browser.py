"""The cockpit in a real browser: Playwright for Python driving Debian's Chromium.

Without /usr/bin/chromium these tests skip, except in CI (CI=true), where .ci/run installs it and
they must run. With LEGION_SCREENSHOTS=<folder> they also save a screenshot of each page there
(docs/cockpit-*.png are made this way)."""

from __future__ import annotations

import os
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from tests.cockpit.conftest import MESSY_CSV

from onelegion.core.runtime import Runtime
from onelegion.surfaces.api import create_app

CHROMIUM = os.environ.get("LEGION_CHROMIUM", "/usr/bin/chromium")
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
TOKEN = "browser-test-token-0123456789"
SHOTS = os.environ.get("LEGION_SCREENSHOTS")

if not Path(CHROMIUM).exists() and os.environ.get("CI") != "true":
    pytest.skip(
        f"no Chromium at {CHROMIUM}: `apt-get install -y chromium` (.ci/run does) to run the "
        "browser tests",
        allow_module_level=True,
    )

if os.environ.get("CI") == "true":  # in CI the browser tests must run, never skip
    import playwright.sync_api as sync_api
else:
    sync_api = pytest.importorskip("playwright.sync_api")
expect = sync_api.expect
# a loaded 2-core machine (the whole suite in parallel) can take seconds to paint: wait up to 30 s
# for anything the page must show (a bound, not a speed assertion)
expect.set_options(timeout=30_000)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Server:
    def __init__(self, runtime: Runtime, token: str | None) -> None:
        import uvicorn

        self.port = _free_port()
        config = uvicorn.Config(
            create_app(runtime, token=token, trusted_hosts=["127.0.0.1", "localhost"]),
            host="127.0.0.1",
            port=self.port,
            log_level="warning",
        )
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self.server.run, daemon=True)
        self.thread.start()
        deadline = time.monotonic() + 30
        while not self.server.started:
            assert time.monotonic() < deadline, "the test server did not start"
            time.sleep(0.02)
        self.url = f"http://127.0.0.1:{self.port}"

    def stop(self) -> None:
        self.server.should_exit = True
        self.thread.join(10)


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    with sync_api.sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
        yield b
        b.close()


@pytest.fixture
def server(runtime: Runtime) -> Iterator[Server]:
    s = Server(runtime, None)
    yield s
    s.stop()


def _shot(page: Any, name: str) -> None:
    if SHOTS:
        Path(SHOTS).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(SHOTS) / f"cockpit-{name}.png"), full_page=True)


def test_clean_a_table_review_and_apply(
    browser: Any, server: Server, runtime: Runtime, tmp_path: Path
) -> None:
    page = browser.new_page(viewport={"width": 1200, "height": 900}, locale="en-US")
    page.goto(server.url + "/?lang=en")
    expect(page.locator("h1")).to_have_text("OneLegion cockpit")

    page.goto(server.url + "/skills")
    _shot(page, "skills")
    page.click("text=clean.table")
    expect(page).to_have_url(server.url + "/skills/clean.table")
    messy = tmp_path / "市场.csv"
    messy.write_text(MESSY_CSV, encoding="utf-8")
    page.set_input_files("#f-path", str(messy))
    _shot(page, "skill-form")
    page.click("#run-button")
    expect(page.locator("#status")).to_have_text("succeeded", timeout=60_000)
    expect(page.locator("#log")).to_contain_text("finished: succeeded")
    expect(page.locator("#report")).to_be_visible()
    _shot(page, "run")

    page.click("#review-link")
    expect(page.locator("#review-form")).to_be_visible()
    date_step = page.locator("fieldset.item", has_text="normalize_date")
    date_step.locator("input[value=reject]").check()
    mapping = page.locator("fieldset.item", has_text="map_values")
    mapping.locator("input[value=approve]").check()  # proposed only: the person decides
    mapping.locator("summary").click()
    mapping.locator("input[name$='-0-to']").fill("沪")
    _shot(page, "review")
    page.click("#apply-button")
    expect(page.locator("h1")).to_contain_text("clean.apply")
    expect(page.locator("#status")).to_have_text("succeeded", timeout=60_000)
    applied = runtime.store.list_runs(skill="clean.apply")[0]
    out = Path(applied.params["output"]).read_text(encoding="utf-8-sig").splitlines()
    assert out[1].split(",")[0] == "沪" and out[1].split(",")[2] == "2024/3/5"

    page.goto(server.url + "/")
    expect(page.locator("iframe.report")).to_be_visible()
    _shot(page, "home")
    page.goto(server.url + "/runs")
    _shot(page, "history")
    page.goto(server.url + "/settings")
    _shot(page, "settings")
    page.close()


def test_watch_progress_then_cancel_and_switch_language(
    browser: Any, server: Server, runtime: Runtime
) -> None:
    page = browser.new_page(locale="en-US")
    page.goto(server.url + "/skills/util.wait?lang=en")
    page.fill("#f-seconds", "600")
    page.fill("#f-steps", "600")
    page.click("#run-button")
    expect(page.locator("#progress-text")).to_contain_text("/ 600 waiting", timeout=30_000)
    # progress and the status line arrive as separate events: wait for the status as well
    expect(page.locator("#status")).to_have_text("running", timeout=30_000)
    page.click("#cancel-button")
    expect(page.locator("#status")).to_have_text("cancelled", timeout=30_000)
    assert runtime.store.list_runs()[0].status == "cancelled"

    page.click("#lang-switch")
    expect(page.locator("nav a[href='/skills']")).to_have_text("技能")
    page.goto(server.url + "/")
    expect(page.locator("h1")).to_have_text("一人军团 · 驾驶舱")
    _shot(page, "home-zh")
    page.close()


def test_token_page_then_the_cockpit(browser: Any, runtime: Runtime) -> None:
    s = Server(runtime, TOKEN)
    try:
        page = browser.new_page(locale="en-US")
        page.goto(s.url + "/runs?lang=en")
        expect(page).to_have_url(s.url + "/login?next=/runs")
        _shot(page, "token")
        page.fill("#token", "wrong")
        page.click("#login-button")
        expect(page.locator("#problem")).to_have_text("Wrong token.")
        page.fill("#token", TOKEN)
        page.click("#login-button")
        expect(page).to_have_url(s.url + "/runs")
        cookie = next(c for c in page.context.cookies() if c["name"] == "legion_session")
        assert cookie["httpOnly"] is True and cookie["sameSite"] == "Strict"
        assert cookie["value"] != TOKEN
        page.close()
    finally:
        s.stop()
