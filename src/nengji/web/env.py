"""The deployment settings nengji reads from the environment, each declared once.

The declaration is the single source for `settings.py` and for `docs/settings.md`
(a test fails when the two disagree), so a sysadmin never meets an undocumented knob.
What the plan office decides (periods, thresholds, publication) is data in the
database, not a setting here.
"""

from __future__ import annotations

import contextlib
import os
import secrets
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Setting:
    name: str
    default: str
    help_zh: str
    help_en: str


SETTINGS: tuple[Setting, ...] = (
    Setting(
        "NENGJI_DATA_DIR",
        "./.nengji",
        "数据目录：SQLite 数据库、密钥、演示账号、上传文件",
        "Data directory: SQLite database, secret key, demo logins, uploads",
    ),
    Setting(
        "DATABASE_URL",
        "sqlite:///<NENGJI_DATA_DIR>/nengji.sqlite3",
        "数据库地址，如 postgres://user@host:5432/db",
        "Database URL, e.g. postgres://user@host:5432/db",
    ),
    Setting(
        "NENGJI_SECRET_KEY",
        "(generated into <NENGJI_DATA_DIR>/secret_key on first run)",
        "Django 密钥；未设置时首次运行自动生成并保存在数据目录",
        "Django secret key; generated into the data directory when unset",
    ),
    Setting(
        "NENGJI_DEBUG", "false", "调试模式（生产环境务必关闭）", "Debug mode (never in production)"
    ),
    Setting(
        "NENGJI_ALLOWED_HOSTS",
        "127.0.0.1,localhost",
        "允许访问的主机名，逗号分隔",
        "Comma-separated host names the server answers to",
    ),
    Setting(
        "NENGJI_DEFAULT_PLAN",
        "(the only plan loaded)",
        "多个规划并存时默认显示的规划代码（见 nengji plan list）",
        "Code of the plan shown by default when several are loaded (see `nengji plan list`)",
    ),
    Setting(
        "NENGJI_TASKS_BACKEND",
        "database",
        "后台任务队列：database（数据库，单机默认，由 nengji worker 执行）、rq（Redis，多机部署）、"
        "immediate（在请求中立即执行，仅供测试）",
        "Background job queue: database (the default, run by `nengji worker`), rq (Redis, for "
        "deployments that outgrow one machine), immediate (run at once, for tests only)",
    ),
    Setting(
        "NENGJI_REDIS_URL",
        "redis://127.0.0.1:6379/0",
        "Redis 地址（仅 rq 后台任务队列使用）",
        "Redis URL (used only by the rq job queue)",
    ),
    Setting(
        "NENGJI_REQUEST_MAX_MB",
        "25",
        "单个请求（含上传文件）的最大体积（MB）；"
        "反向代理应设置相同上限（如 nginx client_max_body_size）",
        "Largest request body, uploads included, in MB; set the same cap in the proxy (nginx "
        "client_max_body_size)",
    ),
    Setting(
        "NENGJI_HTTPS",
        "false",
        "经 HTTPS 提供服务：HTTP 跳转到 HTTPS、HSTS、仅经 HTTPS 发送的 Cookie（生产环境开启）",
        "Served over HTTPS: redirect HTTP to HTTPS, HSTS, cookies sent over HTTPS only (turn on "
        "in production)",
    ),
    Setting(
        "NENGJI_HSTS_SECONDS",
        "31536000",
        "HSTS 有效期（秒，仅在 NENGJI_HTTPS 开启时生效）",
        "HSTS max-age in seconds (only with NENGJI_HTTPS)",
    ),
    Setting(
        "NENGJI_TRUST_PROXY",
        "false",
        "信任反向代理设置的 X-Forwarded-Proto 与 X-Forwarded-For"
        "（仅当 nengji 只能经代理访问时开启）",
        "Trust the proxy's X-Forwarded-Proto and X-Forwarded-For (only when nengji is reachable "
        "through the proxy alone)",
    ),
    Setting(
        "NENGJI_CSRF_TRUSTED_ORIGINS",
        "(https://<each allowed host> with NENGJI_HTTPS)",
        "可信的表单来源，逗号分隔，如 https://plan.example.gov.cn",
        "Comma-separated trusted origins for forms, e.g. https://plan.example.gov.cn",
    ),
    Setting(
        "NENGJI_LOGIN_FAILURE_LIMIT",
        "5",
        "同一账号从同一客户端连续登录失败多少次后锁定（登录页与 /api/auth/token）",
        "Wrong passwords for one username from one client before it is locked out (login page "
        "and /api/auth/token)",
    ),
    Setting(
        "NENGJI_LOGIN_LOCKOUT_MINUTES",
        "15",
        "登录锁定时长（分钟）；规划办可在“账号安全”页面提前解锁",
        "How long a lock-out lasts, in minutes; the plan office can unlock earlier on the "
        "Access page",
    ),
    Setting(
        "NENGJI_LANGUAGE",
        "zh-hans",
        "默认界面语言（zh-hans 或 en）",
        "Default UI language (zh-hans or en)",
    ),
)


def env(name: str) -> str | None:
    """Read a declared setting; reading an undeclared one is a programming error."""
    if name not in {s.name for s in SETTINGS}:
        raise KeyError(f"{name} is not declared in nengji.web.env.SETTINGS")
    value = os.environ.get(name)
    return value if value not in (None, "") else None


def data_dir() -> Path:
    """The data directory, readable by the service account only (700): it holds the database,
    the secret key and uploaded evidence."""
    path = Path(env("NENGJI_DATA_DIR") or "./.nengji").expanduser().resolve()
    path.mkdir(mode=0o700, parents=True, exist_ok=True)
    with contextlib.suppress(PermissionError):  # a directory of another owner: leave it
        path.chmod(0o700)
    return path


def private_files(directory: Path, *names: str) -> None:
    """Make the named files in `directory` (the SQLite database and its journals) mode 600."""
    for name in names:
        target = directory / name
        if target.exists():
            with contextlib.suppress(PermissionError):
                target.chmod(0o600)


def secret_key(directory: Path) -> str:
    """Return the configured key, or the one generated once into the data directory."""
    configured = env("NENGJI_SECRET_KEY")
    if configured:
        return configured
    key_file = directory / "secret_key"
    if not key_file.exists():
        key_file.write_text(secrets.token_urlsafe(50), encoding="utf-8")
        key_file.chmod(0o600)
    return key_file.read_text(encoding="utf-8").strip()


def flag(name: str, default: bool = False) -> bool:
    value = env(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def settings_markdown() -> str:
    """The settings reference page, generated from the declaration."""
    lines = [
        "# Settings / 部署设置",
        "",
        "Generated from `nengji.web.env.SETTINGS` (`nengji settings-doc > docs/settings.md`).",
        "",
        "| name | default | 说明 | meaning |",
        "| --- | --- | --- | --- |",
    ]
    lines += [f"| `{s.name}` | `{s.default}` | {s.help_zh} | {s.help_en} |" for s in SETTINGS]
    return "\n".join(lines) + "\n"
