"""The ledger against the clearing: every difference, named. `nengji vouchers reconcile`
prints them and exits non-zero if there is one.

Checks: each quota's grants equal its granted amount and no part of its balance is negative;
each paid claim's redemption on the ledger equals its payment; each cross-region claim's
clearing entries equal what its redemptions and reversals on the ledger imply; each period's
net positions sum to zero; each closed period's statements equal its entries.
"""

from __future__ import annotations

from collections import defaultdict

from django.db.models import Sum

from nengji.vouchers.clearing import clearing_report
from nengji.vouchers.models import Claim, ClearingEntry, ClearingPeriod, LedgerEntry, Quota
from nengji.vouchers.selectors import balance_from_sums
from nengji.vouchers.services.claims import clearing_parts

K = LedgerEntry.Kind


def reconcile() -> list[str]:
    """Every difference found, as a sentence; an empty list when all reconciles."""
    problems: list[str] = []
    sums: dict[int, dict[str, int]] = defaultdict(dict)
    for r in (
        LedgerEntry.objects.values("quota_id", "kind").annotate(t=Sum("amount_fen")).order_by()
    ):
        sums[r["quota_id"]][r["kind"]] = int(r["t"])
    for qid, granted, state in Quota.objects.values_list("pk", "granted_fen", "state"):
        b = balance_from_sums(sums.get(qid, {}))
        if b.granted != granted:
            problems.append(f"quota {qid}: ledger grants {b.granted} ≠ granted {granted}")
        for name, value in b.as_dict().items():
            if value < 0:
                problems.append(f"quota {qid}: {name} is negative ({value})")
        if state == Quota.State.VOIDED and b.available != 0:
            problems.append(f"quota {qid}: voided but {b.available} available")

    by_claim: dict[int, dict[str, int]] = defaultdict(dict)
    for r in (
        LedgerEntry.objects.filter(kind__in=(K.REDEEM, K.REVERSE), claim__isnull=False)
        .values("claim_id", "kind")
        .annotate(t=Sum("amount_fen"))
        .order_by()
    ):
        by_claim[r["claim_id"]][r["kind"]] = int(r["t"])
    cleared: dict[int, dict[tuple[int, int], int]] = defaultdict(lambda: defaultdict(int))
    for row in (
        ClearingEntry.objects.values("claim_id", "debtor_id", "creditor_id")
        .annotate(t=Sum("amount_fen"))
        .order_by()
    ):
        if row["t"]:
            cleared[row["claim_id"]][(row["debtor_id"], row["creditor_id"])] = int(row["t"])
    claim_ids = set(by_claim) | set(cleared)
    paid_states = (Claim.State.PAID, Claim.State.REVERSED)
    for claim in Claim.objects.filter(state__in=paid_states).only(
        "pk",
        "state",
        "paid_fen",
        "mode",
        "issuing_region_id",
        "service_region_id",
        "service_share",
    ):
        claim_ids.add(claim.pk)
        ledger = by_claim.get(claim.pk, {})
        redeemed = ledger.get(K.REDEEM, 0)
        if redeemed != (claim.paid_fen or 0):
            problems.append(f"claim {claim.pk}: ledger redeemed {redeemed} ≠ paid {claim.paid_fen}")
        expected: dict[tuple[int, int], int] = defaultdict(int)
        for d, c, a in clearing_parts(claim, redeemed):
            expected[(d, c)] += a
        for d, c, a in clearing_parts(claim, ledger.get(K.REVERSE, 0)):
            expected[(d, c)] -= a
        want = {k: v for k, v in expected.items() if v}
        got = dict(cleared.pop(claim.pk, {}))
        if want != got:
            problems.append(f"claim {claim.pk}: clearing {got} ≠ ledger implies {want}")
    for claim_id, got in cleared.items():
        problems.append(f"claim {claim_id}: clearing entries {dict(got)} for an unpaid claim")

    for period in ClearingPeriod.objects.all():
        report = clearing_report(period=period)
        if not report.balanced:
            problems.append(f"period {period.code}: net positions do not sum to zero")
        if period.state == ClearingPeriod.State.CLOSED:
            for s in period.statements.all():
                if (s.owed_fen, s.due_fen) != (
                    report.owed.get(s.region_id, 0),
                    report.due.get(s.region_id, 0),
                ):
                    problems.append(
                        f"period {period.code}: statement of region {s.region_id} differs "
                        "from its entries"
                    )
    return problems
