"""The office's upload page: a real file is checked (nothing written) and previewed, or refused
with row, column and field; “Import” imports that same file once, all or nothing; a file too
large is refused before it is read; nobody else may stage or confirm."""

from __future__ import annotations

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from nengji.registry.models import Enterprise, YearFigures
from nengji.registry.tabular import MAX_BYTES
from tests.registry import make

pytestmark = pytest.mark.django_db

HEADER = "统一社会信用代码,企业名称,成立日期,年份,职工总数,科技人员数,营业收入"


def _file(text: str, name: str = "list.csv") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, text.encode("utf-8"), content_type="text/csv")


def _token(body: str) -> str:
    found = re.search(r'name="token" value="([^"]+)"', body)
    assert found, "no confirmation form"
    return found.group(1)


def test_check_then_import_once(client, office):
    a, b = make.code(), make.code()
    text = f"{HEADER}\n{a},甲公司,2018-01-02,2023,50,10,1200.5\n{b},乙公司,,,,,\n"
    client.force_login(office)
    url = reverse("registry-import")
    assert client.get(url).status_code == 200
    r = client.post(url, {"kind": "enterprises", "file": _file(text)})
    body = r.content.decode()
    assert r.status_code == 200 and 'id="import-preview"' in body
    assert re.search(r'data-key="created">2<', body) and re.search(r'data-key="figures">1<', body)
    assert not Enterprise.objects.filter(uscc__in=[a, b]).exists()  # checked, not written
    token = _token(body)
    r = client.post(url, {"token": token})
    assert r.status_code == 302 and r["Location"] == reverse("registry-home")
    assert Enterprise.objects.filter(uscc__in=[a, b]).count() == 2
    assert YearFigures.objects.filter(enterprise__uscc=a).count() == 1
    # the same confirmation again (a double click, a replay): refused, nothing twice
    r = client.post(url, {"token": token})
    assert r.status_code == 200 and 'role="alert"' in r.content.decode()
    assert "token" in r.content.decode()
    assert YearFigures.objects.filter(enterprise__uscc=a).count() == 1


def _errors(body: str) -> list[tuple[str, str, str]]:
    return re.findall(
        r'<tr class="import-error"><td class="num">(\d+|—)</td><td>([A-Z—]+)</td>'
        r"<td><code>(\w+)</code>",
        body,
    )


def test_bad_rows_are_listed_with_row_column_and_field(client, office):
    a, b, c = make.code(), make.code(), make.code()
    client.force_login(office)
    url = reverse("registry-import")
    text = f"{HEADER}\n{a},甲公司,2018-01-02,2023,50,10,100\n{b},乙公司,2018-01-02,2023,5,1,-3\n"
    r = client.post(url, {"kind": "enterprises", "file": _file(text)})
    body = r.content.decode()
    assert r.status_code == 200 and 'role="alert"' in body and "import-preview" not in body
    assert _errors(body) == [("3", "G", "revenue")]  # the row, the column letter, the field
    assert 'name="token"' not in body
    text = f"{HEADER}\n{a},甲公司,2018-01-02,2023,50,10,100\n{c},丙公司,2018-01-02,2023,5,9,30\n"
    body = client.post(url, {"kind": "enterprises", "file": _file(text)}).content.decode()
    assert [(row, field) for row, _col, field in _errors(body)] == [("3", "st_staff")]
    assert not Enterprise.objects.filter(uscc__in=[a, b, c]).exists()


def test_missing_column_and_no_file(client, office):
    client.force_login(office)
    url = reverse("registry-import")
    r = client.post(url, {"kind": "enterprises", "file": _file("企业名称\n甲公司\n")})
    assert "<code>uscc</code>" in r.content.decode()
    r = client.post(url, {"kind": "enterprises"})
    assert "<code>file</code>" in r.content.decode()
    r = client.post(url, {"kind": "people", "file": _file(f"{HEADER}\n")})
    assert "<code>kind</code>" in r.content.decode()


def test_a_file_too_large_is_refused_before_it_is_parsed(client, office):
    client.force_login(office)
    big = SimpleUploadedFile("big.csv", b"\xff" * (MAX_BYTES + 1), content_type="text/csv")
    r = client.post(reverse("registry-import"), {"kind": "enterprises", "file": big})
    body = r.content.decode()
    # undecodable bytes would be a parse error on a row; the size is refused first
    assert "<code>file</code>" in body and "MB" in body and "import-preview" not in body


def test_only_the_office_and_only_its_own_upload(client, office, acme_user, plan):
    a = make.code()
    text = f"{HEADER}\n{a},甲公司,2018-01-02,2023,50,10,100\n"
    for role_user in (acme_user, make.user("leader"), make.user("carrier")):
        client.force_login(role_user)
        assert client.get(reverse("registry-import")).status_code == 403
        r = client.post(reverse("registry-import"), {"kind": "enterprises", "file": _file(text)})
        assert r.status_code == 403
    client.force_login(office)
    token = _token(client.post(reverse("registry-import"), {"file": _file(text)}).content.decode())
    colleague = make.user("office")
    client.force_login(colleague)
    r = client.post(reverse("registry-import"), {"token": token})
    assert 'role="alert"' in r.content.decode()  # not theirs
    for forged in ("../../secret_key", "x" * 30, ""):
        r = client.post(reverse("registry-import"), {"token": forged, "file": _file(text)})
        assert r.status_code == 200
    assert not Enterprise.objects.filter(uscc=a).exists()
    client.force_login(office)
    assert client.post(reverse("registry-import"), {"token": token}).status_code == 302
    assert Enterprise.objects.filter(uscc=a).exists()
