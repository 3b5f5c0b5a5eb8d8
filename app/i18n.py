"""Translation from one catalogue, app/resources/translations/sohoa_<lang>.ts, compiled two ways.

The GUI loads the Qt .qm (so widgets' own tr() calls are translated too); the command line reads the
gettext .mo made from the same .ts, so that `sohoa sign` or `sohoa verify` never loads Qt (tens of MB
and a tenth of a second at every start).
"""

from __future__ import annotations

import gettext
import os
from collections.abc import Callable

from app.paths import resources_dir
from common.errors import UserError

_catalog: gettext.NullTranslations | None = None
_qt = None  # the window's catalogue (app.gui.translation), when it is the one in use
_language = "en"
# set by app.gui.translation: loads the Qt catalogue of a language, and says whether a Qt
# application runs (this module itself never imports Qt)
_qt_loader: Callable[[str], object | None] | None = None
_qt_running: Callable[[], bool] = lambda: False  # noqa: E731


def use_qt(loader: Callable[[str], object | None], running: Callable[[], bool]) -> None:
    global _qt_loader, _qt_running
    _qt_loader, _qt_running = loader, running


def translations_dir() -> str:
    return str(resources_dir() / "translations")


def current_language() -> str:
    return _language


def install(language: str | None = None, *, qt: bool | None = None) -> str:
    """Load the catalogue for `language` ($SOHOA_LANG, else Vietnamese); English is the source text.

    `qt` (default: whether a Qt application runs) installs the Qt catalogue in the application, so
    that widgets' own tr() calls are translated too. Returns the language in use.
    """
    global _qt, _catalog, _language
    language = (os.environ.get("SOHOA_LANG") or language or "vi").split("_")[0].lower()
    if qt is None:
        qt = _qt_running()
    if _qt is not None:  # a language chosen again replaces the catalogues installed before
        _qt.remove()
    _qt, _catalog = None, None
    if language != "en":
        if qt and _qt_loader is not None:
            _qt = _qt_loader(language)
        else:
            _catalog = _load_gettext(language)
    if _qt is None and _catalog is None:
        language = "en"
    _language = language
    return language


def _load_gettext(language: str) -> gettext.GNUTranslations | None:
    path = os.path.join(translations_dir(), f"sohoa_{language}.mo")
    try:
        with open(path, "rb") as fh:
            return gettext.GNUTranslations(fh)
    except OSError:
        return None


def translate(context: str, text: str) -> str:
    """Translate `text` in `context` with the installed catalogue (the text itself if none)."""
    if _qt is not None:
        return _qt.translate(context, text) or text
    if _catalog is not None:
        return _catalog.pgettext(context, text)
    return text


def message(error: UserError) -> str:
    """An error's message in the user's language."""
    return error.render(translate)
