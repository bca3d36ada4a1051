"""Enterprises, keyed by their 统一社会信用代码.

This is the registry's core record, the one other apps (vouchers, technology rights, policy
matching) point to. The registry's own details (designations, yearly figures, carriers, the
ladder) are the registry's; other apps read them through `nengji.registry.selectors`.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from nengji.core.models import Organisation


class Enterprise(models.Model):
    uscc = models.CharField(
        _("unified social credit code"),
        max_length=18,
        unique=True,
        help_text=_("统一社会信用代码 (GB 32100-2015), with its check character."),
    )
    name_zh = models.CharField(_("name (Chinese)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=300, blank=True)
    district = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="enterprises",
        verbose_name=_("registered in"),
        help_text=_("The district (an organisation of kind region) where it is registered."),
    )
    organisation = models.OneToOneField(
        Organisation,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="enterprise",
        verbose_name=_("organisation"),
        help_text=_("Its organisation on the platform, once its people log in."),
    )
    is_demo = models.BooleanField(_("demo data"), default=False)

    class Meta:
        verbose_name = _("enterprise")
        verbose_name_plural = _("enterprises")
        ordering = ("name_zh",)

    def __str__(self) -> str:
        return f"{self.name_zh} ({self.uscc})"
