"""Bulk import from the lists departments receive (CSV or .xlsx): all or nothing, every bad
cell reported with its row and field, nothing written while there is one.

Two kinds of list (columns in docs/registry.md, English keys or the Chinese headers):

- ``enterprises`` — one row per enterprise (by 统一社会信用代码): profile fields and, when the
  row has a year, that year's figures (recorded as the next vintage);
- ``designations`` — certificate lists: code (or, when the list has none, the name), kind,
  number, dates. A row without a code is matched by current or former name; when that is not
  exactly one enterprise the row is an error listing the candidates, for a person to add the
  code and import again.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from nengji.core.audit import audit_entry, jsonable
from nengji.core.events import emit
from nengji.core.models import AuditEntry, Organisation
from nengji.registry.errors import ErrorDetail, RegistryError
from nengji.registry.events import EnterpriseChanged, FiguresRecorded
from nengji.registry.models import Carrier, DesignationKind, Enterprise, Street, YearFigures
from nengji.registry.services.access import require_office
from nengji.registry.services.designations import designation_grant
from nengji.registry.services.enterprises import PROFILE_FIELDS, enterprise_problems
from nengji.registry.services.figures import FIGURE_FIELDS, _consistency, figures_problems
from nengji.registry.tabular import table_read

#: header (English key or Chinese) → field
ENTERPRISE_COLUMNS: dict[str, str] = {
    "uscc": "uscc",
    "统一社会信用代码": "uscc",
    "name_zh": "name_zh",
    "企业名称": "name_zh",
    "name_en": "name_en",
    "英文名称": "name_en",
    "former_names": "former_names",
    "曾用名": "former_names",
    "founded_on": "founded_on",
    "成立日期": "founded_on",
    "registered_address": "registered_address",
    "注册地址": "registered_address",
    "operating_address": "operating_address",
    "经营地址": "operating_address",
    "street": "street",
    "街道": "street",
    "industry": "industry",
    "行业代码": "industry",
    "carrier": "carrier",
    "载体": "carrier",
    "year": "year",
    "年份": "year",
    "employees": "employees",
    "职工总数": "employees",
    "st_staff": "st_staff",
    "科技人员数": "st_staff",
    "revenue": "revenue",
    "营业收入": "revenue",
    "total_assets": "total_assets",
    "资产总额": "total_assets",
    "total_liabilities": "total_liabilities",
    "负债总额": "total_liabilities",
    "rd_domestic": "rd_domestic",
    "境内研发费用": "rd_domestic",
    "rd_foreign": "rd_foreign",
    "境外研发费用": "rd_foreign",
    "high_tech_revenue": "high_tech_revenue",
    "高新技术产品收入": "high_tech_revenue",
    "ip_invention_patents": "ip_invention_patents",
    "发明专利": "ip_invention_patents",
    "ip_other_class1": "ip_other_class1",
    "其他Ⅰ类知识产权": "ip_other_class1",
    "ip_utility_models": "ip_utility_models",
    "实用新型专利": "ip_utility_models",
    "ip_designs": "ip_designs",
    "外观设计专利": "ip_designs",
    "ip_software": "ip_software",
    "软件著作权": "ip_software",
    "equity_financing": "equity_financing",
    "股权融资额": "equity_financing",
    "valuation": "valuation",
    "估值": "valuation",
}
DESIGNATION_COLUMNS: dict[str, str] = {
    "uscc": "uscc",
    "统一社会信用代码": "uscc",
    "name_zh": "name_zh",
    "企业名称": "name_zh",
    "kind": "kind",
    "资质类别": "kind",
    "number": "number",
    "证书编号": "number",
    "granted_on": "granted_on",
    "认定日期": "granted_on",
    "expires_on": "expires_on",
    "有效期至": "expires_on",
    "issuer": "issuer",
    "认定机构": "issuer",
    "board": "board",
    "上市板块": "board",
    "evidence": "evidence",
    "依据": "evidence",
}
#: Chinese names of designation kinds a list may use instead of the code
KIND_NAMES = {
    "科技型中小企业": "tech_sme",
    "高新技术企业": "high_tech",
    "创新型中小企业": "innovative_sme",
    "专精特新中小企业": "specialised",
    "专精特新“小巨人”企业": "little_giant",
    "专精特新小巨人": "little_giant",
    "小巨人": "little_giant",
    "双创小巨人": "district_giant",
    "瞪羚企业": "gazelle",
    "瞪羚": "gazelle",
    "潜在独角兽": "potential_unicorn",
    "独角兽": "unicorn",
    "上市企业": "listed",
}
MAX_ERRORS = 200


@dataclass
class ImportReport:
    kind: str
    rows: int
    created: int = 0
    updated: int = 0
    figures: int = 0
    designations: int = 0
    unchanged: int = 0
    notes: list[str] = field(default_factory=list)


def _columns(
    header: list[str], mapping: dict[str, str], required: tuple[str, ...]
) -> list[str | None]:
    keys: list[str | None] = []
    errors: list[ErrorDetail] = []
    for i, h in enumerate(header):
        key = mapping.get(h.strip()) or mapping.get(h.strip().lower())
        if key is None and h.strip():
            errors.append(
                ErrorDetail(field=h[:40], message=_("Unknown column."), row=1, column=_col(i))
            )
        if key is not None and key in keys:
            errors.append(
                ErrorDetail(field=key, message=_("Column given twice."), row=1, column=_col(i))
            )
        keys.append(key)
    for need in required:
        alternatives = need.split("|")
        if not any(a in keys for a in alternatives):
            errors.append(ErrorDetail(field=alternatives[0], message=_("Missing column."), row=1))
    if errors:
        raise RegistryError(errors)
    return keys


def _col(i: int) -> str:
    name = ""
    i += 1
    while i:
        i, r = divmod(i - 1, 26)
        name = chr(65 + r) + name
    return name


def _raise(errors: list[ErrorDetail]) -> None:
    if errors:
        extra = len(errors) - MAX_ERRORS
        shown = errors[:MAX_ERRORS]
        if extra > 0:
            shown.append(ErrorDetail(field="file", message=_("…and %(n)d more.") % {"n": extra}))
        raise RegistryError(shown)


@transaction.atomic
def registry_import(
    *,
    district: Organisation,
    data: bytes,
    filename: str,
    by: Any,
    kind: str = "enterprises",
    dry_run: bool = False,
) -> ImportReport:
    """Import a list; with `dry_run` check everything and write nothing."""
    require_office(by)
    header, rows = table_read(data, filename=filename)
    if kind == "enterprises":
        report = _enterprises(district=district, header=header, rows=rows, by=by)
    elif kind == "designations":
        report = _designations(district=district, header=header, rows=rows, by=by)
    else:
        raise RegistryError.one("kind", _("enterprises or designations"))
    if dry_run:
        transaction.set_rollback(True)
    return report


def _enterprises(
    *, district: Organisation, header: list[str], rows: list[tuple[int, list[str]]], by: Any
) -> ImportReport:
    keys = _columns(header, ENTERPRISE_COLUMNS, ("uscc", "name_zh"))
    streets = {s.code: s.code for s in Street.objects.filter(district=district)}
    streets.update({s.name_zh: s.code for s in Street.objects.filter(district=district)})
    carriers = {c.code: c for c in Carrier.objects.filter(district=district)}
    carriers.update({c.name_zh: c for c in list(carriers.values())})
    existing = {e.uscc: e for e in Enterprise.objects.filter(district=district)}
    today = timezone.localdate()
    errors: list[ErrorDetail] = []
    parsed: list[tuple[int, dict[str, Any], int | None, dict[str, Any]]] = []
    seen: dict[str, int] = {}
    for number, cells in rows:
        record = {k: (cells[i] if i < len(cells) else "") for i, k in enumerate(keys) if k}
        if record.get("street") in streets:
            record["street"] = streets[record["street"]]
        profile_in = {k: v for k, v in record.items() if k in PROFILE_FIELDS or k == "uscc"}
        # a blank optional cell leaves the field as it is
        profile_in = {k: v for k, v in profile_in.items() if v != "" or k in ("uscc", "name_zh")}
        clean, errs = enterprise_problems(
            profile_in,
            district=district,
            today=today,
            streets=set(streets.values()),
            carriers=carriers,
        )
        code = clean.get("uscc", "")
        year_raw = record.get("year", "")
        # one row per enterprise and year: several years of one enterprise may follow each other
        key = f"{code}/{year_raw}"
        if code and key in seen:
            errs.append(
                ErrorDetail(
                    field="uscc",
                    message=_("The same code (and year) is on row %(r)d.") % {"r": seen[key]},
                )
            )
        if code:
            seen.setdefault(key, number)
        figures_in = {k: v for k, v in record.items() if k in FIGURE_FIELDS and v != ""}
        year: int | None = None
        figures: dict[str, Any] = {}
        if year_raw or figures_in:
            founded = clean.get("founded_on") or (
                existing[code].founded_on if code in existing else None
            )
            year, figures, ferrs = figures_problems(
                figures_in, year=year_raw or None, founded_on=founded
            )
            errs += ferrs
        for err in errs:
            errors.append(
                ErrorDetail(
                    field=err.field,
                    message=err.message,
                    row=number,
                    column=_col(keys.index(err.field)) if err.field in keys else None,
                )
            )
        parsed.append((number, clean, year, figures))
    if not errors:
        codes = [p[1]["uscc"] for p in parsed]
        elsewhere = set(
            Enterprise.objects.filter(uscc__in=codes)
            .exclude(district=district)
            .values_list("uscc", flat=True)
        )
        for number, clean, _y, _f in parsed:
            if clean["uscc"] in elsewhere:
                errors.append(
                    ErrorDetail(
                        field="uscc", message=_("Registered in another district."), row=number
                    )
                )
    _raise(errors)

    report = ImportReport(kind="enterprises", rows=len(parsed))
    now = timezone.now()
    audits: list[AuditEntry] = []
    new: list[Enterprise] = []
    changed_rows: list[Enterprise] = []
    changed_fields: set[str] = set()
    for _number, clean, _y, _f in parsed:
        e = existing.get(clean["uscc"])
        if e is None:
            e = Enterprise(district=district, **clean)
            new.append(e)
            existing[e.uscc] = e
            continue
        if e.pk is None:  # a later row of an enterprise this file creates: its first row wins
            report.unchanged += 1
            continue
        diff = [k for k, v in clean.items() if k != "uscc" and getattr(e, k) != v]
        if "name_zh" in diff and e.name_zh not in e.former_names:
            e.former_names = [*e.former_names, e.name_zh]
            diff.append("former_names")
        if diff:
            before = {k: jsonable(getattr(e, k)) for k in diff}
            for k in diff:
                setattr(e, k, clean.get(k, getattr(e, k)))
            changed_rows.append(e)
            changed_fields.update(diff)
            audits.append(
                audit_entry(
                    actor=by,
                    action="import-update",
                    obj=e,
                    before=before,
                    after={k: jsonable(getattr(e, k)) for k in diff},
                    at=now,
                )
            )
        else:
            report.unchanged += 1
    Enterprise.objects.bulk_create(new, batch_size=1000)
    if changed_rows:
        Enterprise.objects.bulk_update(changed_rows, sorted(changed_fields), batch_size=1000)
    if new and new[0].pk is None:  # backends that return no ids (none we support): read them
        ids = dict(
            Enterprise.objects.filter(uscc__in=[e.uscc for e in new]).values_list("uscc", "pk")
        )
        for e in new:
            e.pk = ids[e.uscc]
    for e in new:
        audits.append(
            audit_entry(
                actor=by,
                action="import-create",
                obj=e,
                after={"uscc": e.uscc, "name_zh": e.name_zh},
                at=now,
            )
        )
    report.created, report.updated = len(new), len(changed_rows)

    vintages: list[YearFigures] = []
    with_figures = [(existing[c["uscc"]], y, f) for _n, c, y, f in parsed if y is not None]
    if with_figures:
        ids = [e.pk for e, _y, _f in with_figures]
        latest: dict[tuple[int, int], YearFigures] = {}
        for f in YearFigures.objects.filter(enterprise_id__in=ids).order_by("vintage"):
            latest[(f.enterprise_id, f.year)] = f
        consistency: list[ErrorDetail] = []
        for (e, y, values), (number, _clean, _y2, _f2) in zip(
            with_figures, [p for p in parsed if p[2] is not None], strict=True
        ):
            assert y is not None
            prev = latest.get((e.pk, y))
            merged = {n: (getattr(prev, n) if prev else None) for n in FIGURE_FIELDS}
            merged.update(values)
            for err in _consistency(merged):
                consistency.append(ErrorDetail(field=err.field, message=err.message, row=number))
            if prev is not None and all(getattr(prev, n) == merged[n] for n in FIGURE_FIELDS):
                continue
            row = YearFigures(
                enterprise=e,
                year=y,
                vintage=(prev.vintage + 1) if prev else 1,
                source=YearFigures.Source.IMPORT,
                recorded_at=now,
                recorded_by=by if getattr(by, "is_authenticated", False) else None,
                **merged,
            )
            latest[(e.pk, y)] = row
            vintages.append(row)
        _raise(consistency)
        YearFigures.objects.bulk_create(vintages, batch_size=1000)
        report.figures = len(vintages)
        for f in vintages:
            audits.append(
                audit_entry(
                    actor=by,
                    action="import-record",
                    obj=f,
                    label=f"{f.enterprise.name_zh} {f.year} v{f.vintage}",
                    after={"year": f.year, "vintage": f.vintage},
                    at=now,
                )
            )
    AuditEntry.objects.bulk_create(audits, batch_size=1000)
    actor_id = by.pk if getattr(by, "is_authenticated", False) else None
    created = {e.pk for e in new}
    for e in [*new, *changed_rows]:
        emit(EnterpriseChanged(actor_id=actor_id, enterprise_id=e.pk, created=e.pk in created))
    for f in vintages:
        emit(
            FiguresRecorded(
                actor_id=actor_id, enterprise_id=f.enterprise_id, year=f.year, vintage=f.vintage
            )
        )
    return report


def _designations(
    *, district: Organisation, header: list[str], rows: list[tuple[int, list[str]]], by: Any
) -> ImportReport:
    keys = _columns(header, DESIGNATION_COLUMNS, ("uscc|name_zh", "kind", "granted_on"))
    enterprises = list(Enterprise.objects.filter(district=district))
    by_code = {e.uscc: e for e in enterprises}
    by_name: dict[str, list[Enterprise]] = {}
    for e in enterprises:
        for n in {e.name_zh, *e.former_names}:
            by_name.setdefault(n, []).append(e)
    errors: list[ErrorDetail] = []
    todo: list[tuple[int, Enterprise, dict[str, str]]] = []
    from nengji.registry.uscc import uscc_normalise

    for number, cells in rows:
        record = {k: (cells[i] if i < len(cells) else "") for i, k in enumerate(keys) if k}
        code = uscc_normalise(record.get("uscc", ""))
        target: Enterprise | None = None
        if code:
            target = by_code.get(code)
            if target is None:
                errors.append(
                    ErrorDetail(
                        field="uscc",
                        message=_("No enterprise with this code in the registry."),
                        row=number,
                    )
                )
        else:
            name = record.get("name_zh", "").strip()
            found = by_name.get(name, [])
            if len(found) == 1:
                target = found[0]
            else:
                close = difflib.get_close_matches(name, list(by_name), n=5, cutoff=0.75)
                near = list({e.pk: e for n in close for e in by_name[n]}.values())[:5]
                shown = found or near
                message = (
                    _("No code; candidates by name: %(c)s — add the right code and import again.")
                    % {"c": "；".join(f"{e.name_zh} {e.uscc}" for e in shown)}
                    if shown
                    else _("No code, and no enterprise of this name.")
                )
                errors.append(ErrorDetail(field="uscc", message=message, row=number))
        raw_kind = record.get("kind", "").strip()
        kind = KIND_NAMES.get(raw_kind, raw_kind)
        if kind not in DesignationKind.values:
            errors.append(
                ErrorDetail(field="kind", message=_("Unknown designation kind."), row=number)
            )
        record["kind"] = kind
        if target is not None:
            todo.append((number, target, record))
    _raise(errors)
    report = ImportReport(kind="designations", rows=len(todo))
    for number, target, record in todo:
        try:
            d = designation_grant(
                enterprise=target,
                kind=record["kind"],
                granted_on=record.get("granted_on"),
                expires_on=record.get("expires_on") or None,
                number=record.get("number", ""),
                issuer=record.get("issuer", ""),
                board=record.get("board", ""),
                evidence=record.get("evidence", ""),
                by=by,
            )
        except RegistryError as exc:
            errors += [
                ErrorDetail(field=e.field, message=e.message, row=number) for e in exc.detail
            ]
            continue
        report.designations += 1 if d.pk else 0
    _raise(errors)
    return report
