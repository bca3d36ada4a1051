from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IndexingConfig(AppConfig):
    name = "nengji.indexing"
    label = "indexing"
    verbose_name = _("Index runs")
    default_auto_field = "django.db.models.BigAutoField"
