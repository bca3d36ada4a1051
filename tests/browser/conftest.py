"""A real server (`nengji init --demo` + `nengji serve`, gunicorn on SQLite) and headless Chromium.

The server runs as a subprocess in its own data directory, exactly as a user starts it, so
these tests see the real static files, middleware and demo logins. Chromium is Debian's
(`/usr/bin/chromium`); Playwright drives it. Without Chromium the tests skip, except under
CI=true, where they must run.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from tests.conftest import subprocess_env

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
VIEWPORTS = {"desktop": {"width": 1366, "height": 900}, "phone": {"width": 390, "height": 844}}


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class LiveServer:
    url: str
    data_dir: Path
    logins: dict[str, tuple[str, str, str]] = field(default_factory=dict)  # username -> role…

    def login_for(self, role: str, department: str | None = None) -> tuple[str, str]:
        for username, (r, password, dept) in self.logins.items():
            if r == role and (department is None or dept == department):
                return username, password
        raise KeyError(role)


def require_chromium() -> None:
    if not Path(CHROMIUM).exists():
        if os.environ.get("CI") == "true":
            pytest.fail("CI needs Debian chromium for the browser tests")
        pytest.skip("Debian chromium is not installed (apt-get install chromium)")


@contextmanager
def running_server(data_dir: Path, setup: list[list[str]]) -> Iterator[LiveServer]:
    """Run the `nengji` set-up commands in `data_dir`, then `nengji serve` until the block ends."""
    env = subprocess_env(data_dir)
    for args in setup:
        done = subprocess.run(  # noqa: S603 - our own interpreter and CLI
            [sys.executable, "-m", "nengji", *args], env=env, capture_output=True, text=True
        )
        assert done.returncode == 0, done.stdout + done.stderr
    port = _free_port()
    with (data_dir / "server.log").open("w") as log:
        proc = subprocess.Popen(  # noqa: S603
            [sys.executable, "-m", "nengji", "serve", "--port", str(port), "--workers", "2"],
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        try:
            url = f"http://127.0.0.1:{port}"
            deadline = time.monotonic() + 60
            while True:
                try:
                    urllib.request.urlopen(url + "/", timeout=2).close()  # noqa: S310 - local
                    break
                except OSError:
                    if time.monotonic() > deadline or proc.poll() is not None:
                        raise RuntimeError((data_dir / "server.log").read_text()) from None
                    time.sleep(0.3)
            server = LiveServer(url=url, data_dir=data_dir)
            for line in (data_dir / "demo-logins.txt").read_text(encoding="utf-8").splitlines():
                role, username, password, dept = line.split()
                server.logins[username] = (role, password, dept)
            yield server
        finally:
            proc.terminate()
            proc.wait(timeout=20)


@pytest.fixture(scope="session")
def live_server_url(tmp_path_factory) -> Iterator[LiveServer]:
    require_chromium()
    with running_server(tmp_path_factory.mktemp("live"), [["init", "--demo"]]) as server:
        yield server


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as pw:
        instance = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield instance
        instance.close()


@dataclass
class Watched:
    """A page plus everything it did that a test should complain about."""

    page: object
    base: str
    console_errors: list[str] = field(default_factory=list)
    foreign_requests: list[str] = field(default_factory=list)

    def assert_clean(self) -> None:
        assert not self.console_errors, self.console_errors
        assert not self.foreign_requests, self.foreign_requests


@pytest.fixture
def open_page(browser, live_server_url):  # type: ignore[no-untyped-def]
    contexts = []

    def _open(viewport: str = "desktop", locale: str = "zh-CN") -> Watched:
        context = browser.new_context(viewport=VIEWPORTS[viewport], locale=locale)
        contexts.append(context)
        page = context.new_page()
        watched = Watched(page=page, base=live_server_url.url)
        page.on(
            "console",
            lambda msg: watched.console_errors.append(msg.text) if msg.type == "error" else None,
        )
        page.on(
            "request",
            lambda req: (
                None
                if req.url.startswith(live_server_url.url) or req.url.startswith("data:")
                else watched.foreign_requests.append(req.url)
            ),
        )
        return watched

    yield _open
    for context in contexts:
        context.close()


def screenshot(page, artifacts_dir: Path, name: str) -> Path:  # type: ignore[no-untyped-def]
    path = artifacts_dir / "screenshots" / f"{name}.png"
    path.parent.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(path), full_page=True)
    return path


def login(watched: Watched, username: str, password: str) -> None:
    page = watched.page
    page.goto(watched.base + "/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("button[type=submit].primary")
    page.wait_for_load_state("networkidle")
