"""Answer the public comment form's CAPTCHA the way a person would: read the challenge the page
drew (its key is in the form, its letters are in our own store; no mock)."""

from __future__ import annotations

import re
from typing import Any


def challenge_key(html: str) -> str:
    match = re.search(r'name="captcha_0" value="([0-9a-f]+)"', html)
    assert match, "the comment form has no CAPTCHA"
    return match.group(1)


def solved(client: Any, url: str) -> dict[str, str]:
    """The form fields of a fresh challenge of `url`, answered right."""
    from captcha.models import CaptchaStore

    key = challenge_key(client.get(url).content.decode())
    return {"captcha_0": key, "captcha_1": CaptchaStore.objects.get(hashkey=key).response}


def live_answer(data_dir: Any, page: Any) -> None:
    """Type the answer to the challenge shown on a browser `page` served by a live server whose
    SQLite database is in `data_dir` (the browser tests' own server)."""
    import sqlite3
    from pathlib import Path

    key = page.locator("input[name=captcha_0]").input_value()
    with sqlite3.connect(Path(data_dir) / "nengji.sqlite3") as db:
        (answer,) = db.execute(
            "select response from captcha_captchastore where hashkey = ?", (key,)
        ).fetchone()
    page.fill("#id_captcha_1", answer)
