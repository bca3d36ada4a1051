"""The benchmark index in headless Chromium: the office's cockpit page (compute, publish), a
partner region's own profile before publication, the public page after it (issue 17)."""

from __future__ import annotations

import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.browser.conftest import (
    LiveServer,
    Watched,
    _free_port,
    login,
    require_chromium,
    screenshot,
)
from tests.conftest import subprocess_env

pytestmark = pytest.mark.browser

#: the whole demo story (what `nengji demo` sets up before serving)
FULL_DEMO = (
    "from django.conf import settings; "
    "from nengji.core.demo import demo_setup_all; "
    "from nengji.plan.packages import bundled_packages, demo_dir; "
    "from nengji.plan.selectors import plan_get; "
    "[demo_setup_all(plan=plan_get(code=p.name), demo_dir=demo_dir(p), "
    "data_dir=settings.DATA_DIR, full=True) for p in bundled_packages()]"
)


@pytest.fixture(scope="module")
def demo_server(tmp_path_factory) -> Iterator[LiveServer]:
    """Like conftest's `running_server`, with the whole demo story and a patient start (the
    full demo set-up and a cold gunicorn take minutes on a loaded 2-core machine)."""
    require_chromium()
    data_dir: Path = tmp_path_factory.mktemp("bench")
    env = subprocess_env(data_dir)
    for args in (["init", "--demo"], ["manage", "shell", "-c", FULL_DEMO]):
        done = subprocess.run(  # noqa: S603 - our own interpreter and CLI
            [sys.executable, "-m", "nengji", *args], env=env, capture_output=True, text=True
        )
        assert done.returncode == 0, done.stdout + done.stderr
    port = _free_port()
    with (data_dir / "server.log").open("w") as log:
        proc = subprocess.Popen(  # noqa: S603
            [sys.executable, "-m", "nengji", "serve", "--port", str(port), "--workers", "1"],
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        try:
            url = f"http://127.0.0.1:{port}"
            deadline = time.monotonic() + 300
            while True:
                try:
                    urllib.request.urlopen(url + "/", timeout=5).close()  # noqa: S310 - local
                    break
                except OSError:
                    if time.monotonic() > deadline or proc.poll() is not None:
                        raise RuntimeError((data_dir / "server.log").read_text()) from None
                    time.sleep(1)
            server = LiveServer(url=url, data_dir=data_dir)
            for line in (data_dir / "demo-logins.txt").read_text(encoding="utf-8").splitlines():
                role, username, password, dept = line.split()
                server.logins[username] = (role, password, dept)
            yield server
        finally:
            proc.terminate()
            try:
                proc.wait(timeout=60)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait(timeout=30)


@pytest.fixture
def page_on(browser, demo_server):  # type: ignore[no-untyped-def]
    contexts = []

    def _open(locale: str = "zh-CN") -> Watched:
        context = browser.new_context(viewport={"width": 1366, "height": 900}, locale=locale)
        contexts.append(context)
        page = context.new_page()
        watched = Watched(page=page, base=demo_server.url)
        page.on(
            "console",
            lambda m: watched.console_errors.append(m.text) if m.type == "error" else None,
        )
        return watched

    yield _open
    for context in contexts:
        context.close()


def test_office_publishes_and_partner_and_public_see_what_they_may(
    page_on, demo_server, artifacts_dir
):
    office = page_on()
    login(office, "office", demo_server.logins["office"][1])
    page = office.page
    page.goto(office.base + "/cockpit/benchmark/?year=2024")
    assert "长三角双创示范基地双创指数" in page.locator("h1").inner_text()
    assert page.locator("#ranks tbody tr").count() == 4
    assert "演示数据" in page.content()
    screenshot(page, artifacts_dir, "benchmark-cockpit-office-2024")
    page.goto(office.base + "/cockpit/benchmark/?year=2021")
    assert "不参与排名" in page.locator("#ranks").inner_text()  # 嘉兴南湖 screened out
    screenshot(page, artifacts_dir, "benchmark-cockpit-office-2021")

    partner = page_on()
    login(partner, "region_wujin", demo_server.logins["region_wujin"][1])
    partner.page.goto(partner.base + "/cockpit/benchmark/?year=2024")
    text = partner.page.locator("#ranks").inner_text()
    assert "常州武进" in text and "合肥高新区" not in text
    screenshot(partner.page, artifacts_dir, "benchmark-cockpit-partner-before-publication")

    public = page_on()
    public.page.goto(public.base + "/open/benchmark/?year=2024")
    assert "合肥高新区" not in public.page.content()  # 2024 not published yet

    page.goto(office.base + "/cockpit/benchmark/?year=2024")
    page.click("#manage button.primary")
    page.wait_for_load_state("networkidle")
    assert "已发布" in page.content()

    public.page.goto(public.base + "/open/benchmark/?year=2024")
    assert public.page.locator("tbody tr").count() == 4
    screenshot(public.page, artifacts_dir, "benchmark-portal-2024")
    english = page_on("en-US")
    english.page.goto(english.base + "/open/benchmark/")
    if "Changzhou Wujin" not in english.page.content():
        english.page.click(".langswitch button")
        english.page.wait_for_load_state("networkidle")
    assert "Changzhou Wujin" in english.page.content()
    screenshot(english.page, artifacts_dir, "benchmark-portal-en")
    for watched in (office, partner, public, english):
        watched.assert_clean()
