"""A plan's demo configuration (`data/demo/<code>/demo.yaml`): what is plan-specific about the
flagged demo data (users, lead departments, demo key projects, the demo index panel), so that
the demo loaders in accounts, monitoring and indexing hold no plan's codes."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

DEMO_FILE = "demo.yaml"


@dataclass(frozen=True)
class DemoUser:
    username: str
    role: str
    department: str | None
    display_name: str


@dataclass(frozen=True)
class DemoProject:
    parent: str
    code: str
    title_zh: str
    title_en: str


@dataclass(frozen=True)
class DemoConfig:
    root: Path
    users: tuple[DemoUser, ...] = ()
    history_years: tuple[int, ...] = ()
    live_year: int | None = None
    indicator_leads: tuple[tuple[str, str], ...] = ()
    default_lead: str | None = None
    measure_leads: dict[str, str] = field(default_factory=dict)
    key_projects: tuple[DemoProject, ...] = ()
    index_panel: Path | None = None

    def lead_for_indicator(self, code: str) -> str | None:
        for text, department in self.indicator_leads:
            if text in code:
                return department
        return self.default_lead

    def lead_for_task(self, task_code: str) -> str | None:
        return self.measure_leads.get(task_code, self.default_lead)

    def lead_for_measure(self, measure_code: str, task_code: str | None) -> str | None:
        """A measure's own entry (``T08.M2``) first, then its task's (``T08``)."""
        if measure_code in self.measure_leads:
            return self.measure_leads[measure_code]
        return self.lead_for_task(task_code) if task_code else self.default_lead


def read_demo_config(directory: Path) -> DemoConfig | None:
    """The demo configuration in `directory`, or None when the plan has none."""
    path = directory / DEMO_FILE
    if not path.is_file():
        return None
    raw: dict[str, Any] = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    panel = raw.get("index_panel")
    return DemoConfig(
        root=directory,
        users=tuple(
            DemoUser(u["username"], u["role"], u.get("department"), u.get("display_name", ""))
            for u in raw.get("users", ())
        ),
        history_years=tuple(int(y) for y in raw.get("history_years", ())),
        live_year=raw.get("live_year"),
        indicator_leads=tuple((str(a), str(b)) for a, b in raw.get("indicator_leads", ())),
        default_lead=raw.get("default_lead"),
        measure_leads={str(k): str(v) for k, v in (raw.get("measure_leads") or {}).items()},
        key_projects=tuple(DemoProject(**p) for p in raw.get("key_projects", ())),
        index_panel=directory / panel if panel else None,
    )
