"""The window's catalogue: SoHoa's Qt .qm (widgets' own tr() calls included) and Qt's own words
(dialog buttons, menus), installed in the running application; app.i18n uses it once this module
is imported (app.gui imports it)."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QLocale, QTranslator

from app import i18n


class QtCatalogue:
    def __init__(self, translator: QTranslator, base: QTranslator | None) -> None:
        self.translator, self.base = translator, base

    def translate(self, context: str, text: str) -> str:
        return self.translator.translate(context, text)

    def remove(self) -> None:
        app = QCoreApplication.instance()
        if app is not None:
            for translator in (self.translator, self.base):
                if translator is not None:
                    app.removeTranslator(translator)


def load(language: str) -> QtCatalogue | None:
    translator = QTranslator()
    if not translator.load(f"sohoa_{language}", i18n.translations_dir()):
        return None
    base = None
    app = QCoreApplication.instance()
    if app is not None:
        app.installTranslator(translator)
        base = QTranslator()  # Qt's own buttons and menus
        if base.load(f"qtbase_{language}", i18n.translations_dir()):
            app.installTranslator(base)
        else:
            base = None
    QLocale.setDefault(QLocale(language))
    return QtCatalogue(translator, base)


def running() -> bool:
    return QCoreApplication.instance() is not None


i18n.use_qt(load, running)
