"""Settings: a frozen dataclass built from embedded defaults, an admin file and the user's file."""

from __future__ import annotations

import dataclasses
import json
import os
import re
from dataclasses import dataclass, field
from pathlib import Path

from common.atomic import write_text_atomic
from common.errors import QT_TRANSLATE_NOOP, UserError
from common.urls import protected

LANGUAGES = ("vi", "en")
SIGN_LEVELS = ("B-B", "B-T", "B-LT", "B-LTA")


class ConfigError(UserError):
    context = "config"
    template = QT_TRANSLATE_NOOP("config", "Settings file {path}: {detail}")
    exit_code = 2


@dataclass(frozen=True)
class Settings:
    language: str = "vi"
    ocr_languages: str = "vie+eng"
    ocr_jobs: int = 0
    ocr_profile: str = "standard"
    ocr_page_timeout_s: int = 180  # a page Tesseract has not read by then is kept without text, flagged
    upload_folder: str = ""  # empty: <workspace>/delivered
    portal_url: str = ""
    portal_client_id: str = ""  # the secret lives in the OS keyring, never here
    portal_ca_bundle: str = ""  # PEM file of the CA that signed the portal's certificate, if private
    upload_parallel: int = 2
    upload_max_kbps: int = 0  # 0: no cap
    upload_max_file_mb: int = 0  # 0: only the portal's own limit
    upload_chunk_mb: int = 32
    retention_days: int = 30  # local copies of confirmed files are purged after this
    upload_daily_at: str = ""  # "HH:MM": the app sends everything due once a day from then on
    # the saved scanner: SANE's id (which can change), its backend, and its make and model to find it again
    scan_device: str = ""
    scan_device_label: str = ""
    scan_backend: str = "sane"
    scan_resolution: int = 300
    scan_mode: str = "color"
    scan_source: str = "flatbed"
    pkcs11_modules: tuple[str, ...] = ()
    trust_dirs: tuple[str, ...] = ()
    sign_level: str = "B-B"
    tsa_url: str = ""
    stamp: bool = True
    sign_location: str = ""
    agency: str = ""
    remote_provider: str = ""  # remote signing service of this counter (app/resources/remote_signing.json)
    remote_url: str = ""  # its endpoint, when not the catalogue's (a staging service)
    remote_account: str = ""  # the counter's service account there; the secret lives in the OS keyring
    remote_wait_s: int = 300  # how long a signer has to approve on their phone
    agency_code: str = ""  # the agency's code on the data-sharing platform, written into data records
    data_timeout_s: int = 20  # how long a data service has to answer a lookup
    locked: tuple[str, ...] = field(default=())  # keys the admin file fixes

    def __post_init__(self) -> None:
        if self.language not in LANGUAGES:
            raise ValueError(f"language must be one of {', '.join(LANGUAGES)}, not {self.language!r}")
        if self.sign_level not in SIGN_LEVELS:
            raise ValueError(f"sign_level must be one of {', '.join(SIGN_LEVELS)}")
        if self.ocr_profile not in ("archive", "standard", "small"):
            raise ValueError("ocr_profile must be archive, standard or small")
        if not 1 <= self.data_timeout_s <= 600:
            raise ValueError(f"data_timeout_s must be between 1 and 600 seconds, not {self.data_timeout_s}")
        if self.ocr_jobs < 0:
            raise ValueError("ocr_jobs must be 0 (one per core) or more")
        if self.upload_parallel < 1 or self.upload_chunk_mb < 1:
            raise ValueError("upload_parallel and upload_chunk_mb must be 1 or more")
        if self.scan_mode not in ("color", "gray", "lineart") or self.scan_source not in (
            "flatbed",
            "adf",
            "duplex",
        ):
            raise ValueError("scan_mode must be color, gray or lineart; scan_source flatbed, adf or duplex")
        if self.upload_daily_at and not re.fullmatch(r"([01]\d|2[0-3]):[0-5]\d", self.upload_daily_at):
            raise ValueError("upload_daily_at must be HH:MM (24 h), e.g. 16:45")
        if self.ocr_page_timeout_s < 1:
            raise ValueError("ocr_page_timeout_s must be 1 or more")
        if min(self.upload_max_kbps, self.upload_max_file_mb, self.retention_days) < 0:
            raise ValueError("upload_max_kbps, upload_max_file_mb and retention_days cannot be negative")
        if self.remote_wait_s < 10:
            raise ValueError("remote_wait_s must be 10 seconds or more")
        if self.remote_url and not protected(self.remote_url):
            raise ValueError("remote_url must use https://")
        if self.portal_url and not protected(self.portal_url):
            raise ValueError("portal_url must use https://")

    @classmethod
    def from_dict(cls, data: dict, *, source: str = "") -> Settings:
        names = {f.name for f in dataclasses.fields(cls)}
        unknown = sorted(set(data) - names)
        if unknown:
            raise ConfigError(path=source, detail=f"unknown setting(s): {', '.join(unknown)}")
        values = {}
        for f in dataclasses.fields(cls):
            if f.name in data:
                value = data[f.name]
                if isinstance(value, list):
                    value = tuple(value)
                expected = type(f.default) if f.default is not dataclasses.MISSING else None
                if expected in (int, bool, str, tuple) and (
                    not isinstance(value, expected) or (expected is int and isinstance(value, bool))
                ):
                    raise ConfigError(
                        path=source, detail=f"{f.name} must be {_TYPE_NAMES[expected]}, not {value!r}"
                    )
                values[f.name] = value
        try:
            return cls(**values)
        except (TypeError, ValueError) as exc:
            raise ConfigError(path=source, detail=str(exc)) from exc

    def to_dict(self) -> dict:
        return {k: list(v) if isinstance(v, tuple) else v for k, v in dataclasses.asdict(self).items()}


_TYPE_NAMES = {int: "a whole number", bool: "true or false", str: "text", tuple: "a list"}


def admin_config_paths() -> list[Path]:
    """Where IT staff put the machine-wide settings file."""
    env = os.environ.get("SOHOA_ADMIN_CONFIG")
    if env:
        return [Path(env)]
    if os.name == "nt":
        return [Path(os.environ.get("PROGRAMDATA", r"C:\ProgramData")) / "SoHoa" / "settings.json"]
    return [Path("/etc/sohoa/settings.json")]


def _read(path: Path) -> dict:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return {}
    except (OSError, ValueError) as exc:
        raise ConfigError(path=str(path), detail=str(exc)) from exc
    if not isinstance(data, dict):
        raise ConfigError(path=str(path), detail="expected a JSON object")
    return data


def load_settings(workspace_root: Path) -> tuple[Settings, dict[str, str]]:
    """Effective settings and, per key, where its value came from ("default", "admin", "user")."""
    merged: dict = {}
    sources: dict[str, str] = {}
    admin: dict = {}
    for path in admin_config_paths():
        admin = _read(path)
        Settings.from_dict(admin, source=str(path))
        merged.update(admin)
        sources.update({k: f"admin:{path}" for k in admin})
    locked = set(admin.get("locked", ())) if admin else set()
    user_path = workspace_root / "settings.json"
    user = _read(user_path)
    Settings.from_dict(user, source=str(user_path))
    for key, value in user.items():
        if key in locked or key == "locked":
            continue
        merged[key] = value
        sources[key] = f"user:{user_path}"
    settings = Settings.from_dict(merged, source="settings")
    for f in dataclasses.fields(Settings):
        sources.setdefault(f.name, "default")
    return settings, sources


def save_user_settings(workspace_root: Path, settings: Settings) -> None:
    """Write the user's settings (not the locked ones) atomically."""
    data = {k: v for k, v in settings.to_dict().items() if k not in settings.locked and k != "locked"}
    defaults = Settings().to_dict()
    data = {k: v for k, v in data.items() if defaults.get(k) != v}
    write_text_atomic(workspace_root / "settings.json", json.dumps(data, ensure_ascii=False, indent=2))
