"""The data services a counter may ask for data records: the catalogue (`resources/data_services.json`,
with the admin's `data_services.json` beside the admin settings or in the workspace folder merged
over it, entry by entry), where each service is, and the counter's API key for it (in the system
keyring, `sohoa record set-credentials`; for an unattended run SOHOA_DATA_API_KEY). No key is
written to the settings, the workspace or the log."""

from __future__ import annotations

import json
import os
from pathlib import Path

from app.config import admin_config_paths
from app.credentials import _keyring_get, store_secret
from app.paths import resources_dir
from common.errors import QT_TRANSLATE_NOOP, UserError

KEYRING_SERVICE = "sohoa-data-services"
ENV = "SOHOA_DATA_API_KEY"
FILE = "data_services.json"


class DataSetupError(UserError):
    context = "credentials"
    template = QT_TRANSLATE_NOOP("credentials", "Data services are not set up: {detail}")
    exit_code = 2


class UnknownDataService(DataSetupError):
    template = QT_TRANSLATE_NOOP("credentials", "Unknown data service {service}. Known: {known}.")


class NoDataServiceAddress(DataSetupError):
    template = QT_TRANSLATE_NOOP(
        "credentials",
        "No address for the data service {service}: the administrator sets it in data_services.json, or "
        "pass --data-url.",
    )


class BadQuery(DataSetupError):
    template = QT_TRANSLATE_NOOP(
        "credentials", "The data service {service} is asked with {fields}; missing: {missing}."
    )


def catalog(workspace_root: Path | None = None) -> dict:
    """Every service, the admin's entries merged over the bundled ones (a file that cannot be read is
    an error that names it)."""
    services = json.loads((resources_dir() / FILE).read_text(encoding="utf-8"))["services"]
    extra = [p.parent / FILE for p in admin_config_paths()]
    if workspace_root is not None:
        extra.append(Path(workspace_root) / FILE)
    for path in extra:
        if not path.is_file():
            continue
        try:
            more = json.loads(path.read_text(encoding="utf-8")).get("services", {})
        except (OSError, ValueError, AttributeError) as exc:
            raise DataSetupError(detail=f"{path}: {exc}") from exc
        for key, entry in more.items():
            merged = {**services.get(key, {}), **entry}
            if "labels" in entry and key in services:
                merged["labels"] = {**services[key].get("labels", {}), **entry["labels"]}
            services[key] = merged
    return services


def service_entry(key: str, workspace_root: Path | None = None) -> dict:
    services = catalog(workspace_root)
    if key not in services:
        raise UnknownDataService(service=key, known=", ".join(sorted(services)))
    return {**services[key], "key": key}


def service_url(entry: dict, override: str | None = None) -> str:
    url = override or entry.get("url", "")
    if not url:
        raise NoDataServiceAddress(service=entry["key"])
    return url


def query_for(entry: dict, given: dict[str, str], applicant_id: str = "") -> dict[str, str]:
    """The query the service takes, from what was given (the applicant's ID number filling a field
    that comes from it)."""
    query = {}
    for field in entry.get("query", []):
        value = given.get(field["key"]) or (applicant_id if field.get("from") == "applicant_id" else "")
        if value:
            query[field["key"]] = value
    missing = [f["key"] for f in entry.get("query", []) if f["key"] not in query]
    if missing:
        raise BadQuery(
            service=entry["key"],
            fields=", ".join(f["key"] for f in entry["query"]),
            missing=", ".join(missing),
        )
    return {**query, **{k: v for k, v in given.items() if k not in query}}


def api_headers(entry: dict) -> dict[str, str]:
    key = os.environ.get("SOHOA_DATA_API_KEY") or _keyring_get(entry["key"], KEYRING_SERVICE, ENV)
    header = entry.get("key_header", "X-Api-Key")
    return {header: key} if key else {}


def store_api_key(service: str, key: str, workspace_root: Path | None = None) -> None:
    service_entry(service, workspace_root)
    store_secret(service, key, service=KEYRING_SERVICE, env=ENV)
