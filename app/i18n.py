"""Translation: Qt's .qm catalogues in resources/translations, used by the GUI and the CLI alike."""

from __future__ import annotations

import os

from PySide6.QtCore import QCoreApplication, QLocale, QTranslator

from app.paths import resources_dir
from common.errors import UserError

_translator: QTranslator | None = None
_language = "en"


def translations_dir() -> str:
    return str(resources_dir() / "translations")


def current_language() -> str:
    return _language


def install(language: str | None = None) -> str:
    """Load the catalogue for `language` ($SOHOA_LANG, else Vietnamese); English is the source text."""
    global _translator, _language
    language = (os.environ.get("SOHOA_LANG") or language or "vi").split("_")[0].lower()
    translator = QTranslator()
    if language != "en" and translator.load(f"sohoa_{language}", translations_dir()):
        _translator = translator
        app = QCoreApplication.instance()
        if app is not None:
            app.installTranslator(translator)
        QLocale.setDefault(QLocale(language))
    else:
        _translator = None
        language = "en"
    _language = language
    return language


def translate(context: str, text: str) -> str:
    """Translate `text` in `context` with the installed catalogue (the text itself if none)."""
    if _translator is None:
        return text
    return _translator.translate(context, text) or text


def message(error: UserError) -> str:
    """An error's message in the user's language."""
    return error.render(translate)
