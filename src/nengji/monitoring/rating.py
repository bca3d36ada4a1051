"""The words for an assessment, defined once: every page, report and the API show a band with
these labels, translated at the edge (English msgids, Chinese in the catalogue)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from nengji.monitoring.ontrack import Assessment, Band


class Rating(models.TextChoices):
    """提前实现 / 快于预期 / 符合预期 / 基本符合预期 / 滞后 / 数据不足 (+ 不作趋势评价)."""

    ACHIEVED = Band.ACHIEVED.value, _("achieved")
    AHEAD = Band.AHEAD.value, _("ahead of expectations")
    ON_TRACK = Band.ON_TRACK.value, _("on track")
    MODERATE = Band.MODERATE.value, _("broadly on track")
    LIMITED = Band.LIMITED.value, _("lagging")
    AWAY = Band.AWAY.value, _("lagging (moving away)")
    UNKNOWN = Band.UNKNOWN.value, _("insufficient data")
    NOT_ASSESSED = Band.NOT_ASSESSED.value, _("not judged by a trend")


#: best first; the order of tables and of the counts in reports
RATING_ORDER: tuple[Band, ...] = (
    Band.ACHIEVED,
    Band.AHEAD,
    Band.ON_TRACK,
    Band.MODERATE,
    Band.LIMITED,
    Band.AWAY,
    Band.NOT_ASSESSED,
    Band.UNKNOWN,
)
#: worst first, for "what needs attention" lists
ATTENTION_ORDER: dict[Band, int] = {
    Band.AWAY: 0,
    Band.LIMITED: 1,
    Band.MODERATE: 2,
    Band.ON_TRACK: 3,
    Band.AHEAD: 4,
    Band.ACHIEVED: 5,
    Band.NOT_ASSESSED: 6,
    Band.UNKNOWN: 7,
}
OFF_TRACK = frozenset({Band.LIMITED, Band.AWAY})


def band_of(assessment: Assessment | None) -> Band:
    return assessment.band if assessment is not None else Band.UNKNOWN


def rating_label(band: Band | str) -> str:
    """The label of a band in the active language."""
    return str(Rating(str(band)).label)


def explanation(assessment: Assessment | None, *, language: str) -> str:
    """The assessment's explanation in a language (``en`` or Chinese)."""
    if assessment is None:
        return ""
    return assessment.explanation_en if language.startswith("en") else assessment.explanation_zh
