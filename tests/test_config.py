"""Settings: defaults, unknown keys named, admin-locked values."""

from __future__ import annotations

import json

import pytest

from app.config import ConfigError, Settings, load_settings, save_user_settings


def test_defaults_are_embedded(tmp_path, monkeypatch):
    monkeypatch.setenv("SOHOA_ADMIN_CONFIG", str(tmp_path / "none.json"))
    settings, sources = load_settings(tmp_path)
    assert settings == Settings() and settings.language == "vi" and settings.ocr_languages == "vie+eng"
    assert set(sources.values()) == {"default"}


def test_unknown_key_is_named(tmp_path, monkeypatch):
    monkeypatch.setenv("SOHOA_ADMIN_CONFIG", str(tmp_path / "none.json"))
    (tmp_path / "settings.json").write_text(json.dumps({"ocr_langs": "vie"}))
    with pytest.raises(ConfigError, match="ocr_langs"):
        load_settings(tmp_path)


def test_admin_locks_win_over_user(tmp_path, monkeypatch):
    admin = tmp_path / "admin.json"
    admin.write_text(
        json.dumps({"sign_level": "B-T", "tsa_url": "http://127.0.0.1:9/tsa", "locked": ["sign_level"]})
    )
    monkeypatch.setenv("SOHOA_ADMIN_CONFIG", str(admin))
    (tmp_path / "settings.json").write_text(json.dumps({"sign_level": "B-B", "language": "en"}))
    settings, sources = load_settings(tmp_path)
    assert settings.sign_level == "B-T" and settings.language == "en"
    assert sources["sign_level"].startswith("admin:") and sources["language"].startswith("user:")
    save_user_settings(tmp_path, settings)
    saved = json.loads((tmp_path / "settings.json").read_text())
    assert "sign_level" not in saved and saved["language"] == "en"


def test_invalid_values_are_refused(tmp_path):
    with pytest.raises(ConfigError, match="sign_level"):
        Settings.from_dict({"sign_level": "B-X"}, source="x")
