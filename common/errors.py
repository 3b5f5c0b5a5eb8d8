"""The base of every user-facing error: a translatable message template plus its parameters."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any


def QT_TRANSLATE_NOOP(context: str, text: str) -> str:
    """Mark `text` for Qt's lupdate without importing Qt; the app translates it at display time."""
    return text


Translator = Callable[[str, str], str]


def _identity(context: str, text: str) -> str:
    return text


class UserError(Exception):
    """An error whose message is written for the person at the counter.

    Subclasses set `context` (the translation context) and `template` (English source text with
    `{name}` placeholders, marked with QT_TRANSLATE_NOOP). `exit_code` is what the CLI returns.
    Never put a PIN, password or token in `params`.
    """

    context = "errors"
    template = QT_TRANSLATE_NOOP("errors", "Something went wrong: {detail}")
    exit_code = 1

    def __init__(self, template: str | None = None, /, **params: Any) -> None:
        if template is not None:
            self.template = template
        self.params = params
        super().__init__(self.render())

    def render(self, translate: Translator = _identity) -> str:
        """The message in the language `translate` gives (English source text by default)."""
        text = translate(self.context, self.template)
        try:
            return text.format(**self.params)
        except (KeyError, IndexError, ValueError):
            return self.template.format(**self.params)


class Cancelled(UserError):
    """The user cancelled a running operation."""

    template = QT_TRANSLATE_NOOP("errors", "Cancelled.")
    exit_code = 130
