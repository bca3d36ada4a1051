from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RegistryConfig(AppConfig):
    name = "nengji.registry"
    label = "registry"
    verbose_name = _("Registry of innovation entities")
    default_auto_field = "django.db.models.BigAutoField"
