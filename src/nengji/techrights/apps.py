from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TechrightsConfig(AppConfig):
    name = "nengji.techrights"
    label = "techrights"
    verbose_name = _("Technology rights")
    default_auto_field = "django.db.models.BigAutoField"
