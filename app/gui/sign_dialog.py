"""Signing at the counter: which certificate signs (holder and ID number, as the token says), and,
before any PIN is asked, a plain statement in large type of what is about to be signed and what
the signature means. The PIN lives only in this dialog until the signing job takes it."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from app.i18n import translate
from common.errors import QT_TRANSLATE_NOOP


@dataclass(frozen=True)
class Choice:
    """One certificate that can sign: where it is and whose it is."""

    module: str
    token_label: str
    cert_label: str
    holder: str
    id_text: str  # e.g. "CCCD 001203012345"
    issuer: str
    valid_until: str  # dd/mm/yyyy
    pin_pad: bool
    pin_count_low: bool
    pin_final_try: bool
    usable: bool
    why_not: str = ""


def choices_from(listing: list[tuple[str, list]]) -> list[Choice]:
    """(module, [TokenInfo]) as found by `signing.list_tokens` into one row per certificate."""
    out = []
    for module, tokens in listing:
        for token in tokens:
            for cert in token.certificates:
                ids = ", ".join(f"{kind} {number}" for kind, number in cert.ids)
                why = ""
                if token.pin_locked:
                    why = "locked"
                elif cert.expired:
                    why = "expired"
                out.append(
                    Choice(
                        module,
                        token.label,
                        cert.label,
                        cert.holder,
                        ids,
                        cert.issuer,
                        cert.not_after.strftime("%d/%m/%Y"),
                        token.protected_auth,
                        token.pin_count_low,
                        token.pin_final_try,
                        not why,
                        why,
                    )
                )
    return out


ROLES = (
    ("citizen", QT_TRANSLATE_NOOP("SignDialog", "Citizen signs the documents")),
    ("official", QT_TRANSLATE_NOOP("SignDialog", "Official certifies the electronic copy (SAO Y)")),
    ("record", QT_TRANSLATE_NOOP("SignDialog", "Official signs the data records")),
)


def role_choice() -> QComboBox:
    """Who signs, the same in the token and the remote signing dialogs."""
    combo = QComboBox()
    for role, text in ROLES:
        combo.addItem(translate("SignDialog", text), role)
    return combo


class SignDialog(QDialog):
    """Step 1: the role and the certificate. Step 2: what is signed, who signs, what it means;
    then the PIN (or the token's own keypad)."""

    find_requested = Signal()

    def __init__(
        self, documents: list[tuple[str, int]], parent: QWidget | None = None, *, agency: str = ""
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Sign"))
        self.documents = documents
        self.agency = agency
        self.choices: list[Choice] = []
        self.pages = QStackedWidget()

        # -- step 1 --
        first = QWidget()
        form = QFormLayout(first)
        self.role = role_choice()
        self.certs = QListWidget()
        self.certs.setMinimumHeight(140)
        self.status = QLabel(self.tr("Looking for tokens..."))
        self.status.setWordWrap(True)
        find = QPushButton(self.tr("Look again"))
        find.clicked.connect(self.find_requested.emit)
        form.addRow(self.tr("Signature"), self.role)
        form.addRow(self.tr("Certificate"), self.certs)
        form.addRow(self.status)
        form.addRow(find)
        self.pages.addWidget(first)

        # -- step 2 --
        second = QWidget()
        box = QVBoxLayout(second)
        self.statement = QLabel()
        self.statement.setWordWrap(True)
        self.statement.setTextFormat(Qt.TextFormat.PlainText)
        self.statement.setStyleSheet("font-size: 20px;")
        self.warning = QLabel()
        self.warning.setWordWrap(True)
        self.warning.setStyleSheet("font-size: 16px; color: #b00020; font-weight: bold;")
        self.pin = QLineEdit()
        self.pin.setEchoMode(QLineEdit.EchoMode.Password)
        self.pin.setStyleSheet("font-size: 20px;")
        self.pin_label = QLabel(self.tr("PIN"))
        box.addWidget(self.statement, 1)
        box.addWidget(self.warning)
        box.addWidget(self.pin_label)
        box.addWidget(self.pin)
        self.pages.addWidget(second)

        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.back = self.buttons.addButton(self.tr("Back"), QDialogButtonBox.ButtonRole.ActionRole)
        self.next = self.buttons.addButton(self.tr("Next"), QDialogButtonBox.ButtonRole.ActionRole)
        self.sign_button = self.buttons.addButton(self.tr("Sign"), QDialogButtonBox.ButtonRole.AcceptRole)
        self.back.clicked.connect(lambda: self._step(0))
        self.next.clicked.connect(lambda: self._step(1))
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        self.certs.currentRowChanged.connect(lambda _row: self._step(0))
        layout = QVBoxLayout(self)
        layout.addWidget(self.pages, 1)
        layout.addWidget(self.buttons)
        self.resize(680, 520)
        self._step(0)

    # -- tokens found ------------------------------------------------------------------------------
    def show_tokens(self, choices: list[Choice], error: str | None = None) -> None:
        self.choices = choices
        self.certs.clear()
        for c in choices:
            text = f"{c.holder} - {c.id_text}\n{c.issuer} - " + self.tr("valid until {date}").replace(
                "{date}", c.valid_until
            )
            if c.why_not == "expired":
                text += " - " + self.tr("EXPIRED")
            elif c.why_not == "locked":
                text += " - " + self.tr("TOKEN LOCKED")
            item = QListWidgetItem(text)
            if not c.usable:
                item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsEnabled)
            self.certs.addItem(item)
        usable = [k for k, c in enumerate(choices) if c.usable]
        if usable:
            self.certs.setCurrentRow(usable[0])
        if error:
            self.status.setText(error)
        elif not choices:
            self.status.setText(self.tr("No token with a signing certificate is plugged in."))
        else:
            self.status.setText(self.tr("Choose the certificate that signs."))
        self._step(0)

    def chosen(self) -> Choice | None:
        row = self.certs.currentRow()
        if 0 <= row < len(self.choices) and self.choices[row].usable:
            return self.choices[row]
        return None

    # -- steps -------------------------------------------------------------------------------------
    def _step(self, index: int) -> None:
        choice = self.chosen()
        if index == 1 and choice is None:
            index = 0
        self.pages.setCurrentIndex(index)
        self.back.setVisible(index == 1)
        self.next.setVisible(index == 0)
        self.next.setEnabled(choice is not None)
        self.sign_button.setVisible(index == 1)
        if index == 1:
            self._explain(choice)

    def _explain(self, c: Choice) -> None:
        docs = "\n".join(
            "  - " + self.tr("{name} ({pages} pages)").replace("{name}", n).replace("{pages}", str(p))
            for n, p in self.documents
        )
        if self.role.currentData() == "record":
            text = self.tr(
                "{holder} ({ids}) signs, for {agency}, these records of what a data service answered, "
                "as the official who asked for the data:\n{docs}\n\nEach record gets a signature and "
                "a timestamp for the long run; any later change to a record will show."
            )
        elif self.role.currentData() == "official":
            text = self.tr(
                "{holder} ({ids}) certifies, for {agency}, that these electronic copies match the "
                "originals presented (SAO Y):\n{docs}\n\nEach file gets the certification at the top "
                "of its first page and a digital signature; any later change to a file will show."
            )
        else:
            text = self.tr(
                "You, {holder} ({ids}), are about to sign these documents digitally:\n{docs}\n\n"
                "Your digital signature has the same legal value as your handwritten signature: it "
                "says that you submit these documents. A signed file cannot be changed afterwards "
                "without the change showing."
            )
        self.statement.setText(
            text.replace("{holder}", c.holder)
            .replace("{ids}", c.id_text or c.issuer)
            .replace("{agency}", self.agency or "-")
            .replace("{docs}", docs)
        )
        if c.pin_final_try:
            self.warning.setText(self.tr("Last try: one more wrong PIN locks this token."))
        elif c.pin_count_low:
            self.warning.setText(self.tr("A wrong PIN was entered before: few tries are left."))
        else:
            self.warning.setText("")
        self.pin.setVisible(not c.pin_pad)
        self.pin_label.setText(
            self.tr("Enter the PIN on the token's own keypad when it asks.") if c.pin_pad else self.tr("PIN")
        )
        if not c.pin_pad:
            self.pin.setFocus()

    def take_pin(self) -> str:
        """Return the PIN and clear the field."""
        pin = self.pin.text()
        self.pin.clear()
        return pin
