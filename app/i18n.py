"""Translation from one catalogue, app/resources/translations/sohoa_<lang>.ts, compiled two ways.

The GUI loads the Qt .qm (so widgets' own tr() calls are translated too); the command line reads the
gettext .mo made from the same .ts, so that `sohoa sign` or `sohoa verify` never loads Qt (tens of MB
and a tenth of a second at every start).
"""

from __future__ import annotations

import gettext
import os

from app.paths import resources_dir
from common.errors import UserError

_qt_translator = None
_catalog: gettext.NullTranslations | None = None
_language = "en"


def translations_dir() -> str:
    return str(resources_dir() / "translations")


def current_language() -> str:
    return _language


def install(language: str | None = None, *, qt: bool | None = None) -> str:
    """Load the catalogue for `language` ($SOHOA_LANG, else Vietnamese); English is the source text.

    `qt` (default: whether a Qt application exists) installs the Qt catalogue in the application.
    Returns the language in use.
    """
    global _qt_translator, _catalog, _language, _qt_base
    language = (os.environ.get("SOHOA_LANG") or language or "vi").split("_")[0].lower()
    if qt is None:
        qt = _qt_application() is not None
    app = _qt_application()
    if app is not None:  # a language chosen again replaces the catalogues installed before
        for old in (_qt_translator, _qt_base):
            if old is not None:
                app.removeTranslator(old)
    _qt_translator, _catalog, _qt_base = None, None, None
    if language != "en":
        if qt:
            _qt_translator = _load_qt(language)
        else:
            _catalog = _load_gettext(language)
    if _qt_translator is None and _catalog is None:
        language = "en"
    _language = language
    return language


def _qt_application():
    import sys

    if "PySide6.QtCore" not in sys.modules:
        return None
    from PySide6.QtCore import QCoreApplication

    return QCoreApplication.instance()


_qt_base = None


def _load_qt(language: str):
    from PySide6.QtCore import QCoreApplication, QLocale, QTranslator

    global _qt_base
    translator = QTranslator()
    if not translator.load(f"sohoa_{language}", translations_dir()):
        return None
    app = QCoreApplication.instance()
    if app is not None:
        app.installTranslator(translator)
        base = QTranslator()  # Qt's own buttons and menus
        if base.load(f"qtbase_{language}", translations_dir()):
            app.installTranslator(base)
            _qt_base = base
    QLocale.setDefault(QLocale(language))
    return translator


def _load_gettext(language: str) -> gettext.GNUTranslations | None:
    path = os.path.join(translations_dir(), f"sohoa_{language}.mo")
    try:
        with open(path, "rb") as fh:
            return gettext.GNUTranslations(fh)
    except OSError:
        return None


def translate(context: str, text: str) -> str:
    """Translate `text` in `context` with the installed catalogue (the text itself if none)."""
    if _qt_translator is not None:
        return _qt_translator.translate(context, text) or text
    if _catalog is not None:
        return _catalog.pgettext(context, text)
    return text


def message(error: UserError) -> str:
    """An error's message in the user's language."""
    return error.render(translate)
