"""A region's settlement statement of a clearing period, as an xlsx workbook: the summary
(owed, due, net) and every clearing entry behind it, with the claim it comes from. Amounts are
in 元 as exact numbers (分 / 100 with two places); every user-written text (names, invoice
numbers, references) goes in as text, never as a formula."""

from __future__ import annotations

from decimal import Decimal
from io import BytesIO

from django.db.models import Q
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font

from nengji.core.exports import active_sheet, cell_text, cell_value
from nengji.vouchers.models import ClearingEntry, Statement

MONEY = "#,##0.00"


def _yuan(fen: int) -> Decimal:
    return Decimal(fen) / 100


def statement_workbook(*, statement: Statement) -> bytes:
    region, period = statement.region, statement.period
    wb = Workbook()
    ws = active_sheet(wb)
    ws.title = _("Statement")
    title = _("Voucher clearing statement %(period)s · %(region)s") % {
        "period": period.code,
        "region": region.name_zh,
    }
    ws.append([cell_text(title)])
    ws["A1"].font = Font(bold=True, size=13)
    if statement.is_demo:
        ws.append([_("演示数据 · demo data: not a real settlement")])
    ws.append([_("Period"), period.code, f"{period.starts_on} – {period.ends_on}"])
    ws.append([_("State"), statement.get_state_display()])
    for label, fen in (
        (_("Owed to other regions (元)"), statement.owed_fen),
        (_("Due from other regions (元)"), statement.due_fen),
        (_("Net position (元)"), statement.net_fen),
    ):
        ws.append([label, _yuan(fen)])
        ws.cell(ws.max_row, 2).number_format = MONEY
    if statement.confirmed_at:
        ws.append([_("Confirmed at"), statement.confirmed_at.strftime("%Y-%m-%d %H:%M")])
    ws.column_dimensions["A"].width = 30
    ws.column_dimensions["B"].width = 18

    lines = wb.create_sheet(_("Entries"))
    lines.append(
        [
            _("Claim"),
            _("Paid on"),
            _("Mode"),
            _("Enterprise"),
            _("Institution"),
            _("Invoice"),
            _("Payment reference"),
            _("Claim paid (元)"),
            _("Debtor"),
            _("Creditor"),
            _("Amount (元)"),
            _("Correction"),
        ]
    )
    entries = (
        ClearingEntry.objects.filter(period=period)
        .filter(Q(debtor=region) | Q(creditor=region))
        .select_related(
            "claim__order__quota__enterprise", "claim__order__institution", "debtor", "creditor"
        )
        .order_by("at", "pk")
    )
    for e in entries:
        c = e.claim
        signed = e.amount_fen if e.creditor_id == region.pk else -e.amount_fen
        lines.append(
            [
                c.pk,
                c.paid_on,
                c.get_mode_display(),
                cell_value(c.order.quota.enterprise.name_zh),
                cell_value(c.order.institution.name),
                cell_value(c.invoice_no),
                cell_value(c.payment_ref),
                _yuan(c.paid_fen or 0),
                cell_value(e.debtor.name_zh),
                cell_value(e.creditor.name_zh),
                _yuan(signed),
                _("yes") if e.is_correction else "",
            ]
        )
        for money_col in (8, 11):
            lines.cell(lines.max_row, money_col).number_format = MONEY
    for letter, width in zip(
        "ABCDEFGHIJKL", (8, 12, 22, 30, 30, 18, 22, 14, 14, 14, 14, 10), strict=True
    ):
        lines.column_dimensions[letter].width = width
    out = BytesIO()
    wb.save(out)
    return out.getvalue()
