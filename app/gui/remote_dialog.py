"""Signing remotely at the counter: the signer's service and ID number (the applicant's, from the
dossier), their certificate chosen by holder, CA and validity; then, in large type, what is being
signed and "approve on your phone" with the time left. Refused, expired and "no certificate for
this number" each come back here with the message and a way to the token instead."""

from __future__ import annotations

import time

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from app.gui.sign_dialog import role_choice


class RemoteSignDialog(QDialog):
    find_requested = Signal()
    ask_requested = Signal()
    cancel_requested = Signal()
    token_requested = Signal()
    otp_requested = Signal()

    def __init__(
        self,
        documents: list[tuple[str, int]],
        providers: list[tuple[str, str]],
        parent: QWidget | None = None,
        *,
        provider: str = "",
        user_id: str = "",
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Sign remotely"))
        self.documents = documents
        self.credentials: list = []
        self.lookups = 0  # certificate lookups started; only the latest one's answer is shown
        self.deadline = 0.0
        self.pages = QStackedWidget()

        first = QWidget()
        form = QFormLayout(first)
        self.role = role_choice()
        self.provider = QComboBox()
        for key, name in providers:
            self.provider.addItem(name, key)
        if provider:
            self.provider.setCurrentIndex(max(0, self.provider.findData(provider)))
        self.user_id = QLineEdit(user_id)
        self.user_id.setPlaceholderText(self.tr("CCCD number or account"))
        find = QPushButton(self.tr("Find certificates"))
        find.clicked.connect(self.find_requested.emit)
        self.user_id.returnPressed.connect(self.find_requested.emit)
        self.certs = QListWidget()
        self.certs.setMinimumHeight(120)
        self.status = QLabel()
        self.status.setWordWrap(True)
        # What an explicitly authorized certificate asks for; typed by the signer, never kept.
        self.pin = QLineEdit()
        self.pin.setEchoMode(QLineEdit.EchoMode.Password)
        self.pin.setPlaceholderText(self.tr("typed by the signer"))
        self.otp = QLineEdit()
        self.otp.setEchoMode(QLineEdit.EchoMode.Password)
        self.send_code = QPushButton(self.tr("Send the code to the signer's phone"))
        self.send_code.clicked.connect(self.otp_requested.emit)
        code_row = QWidget()
        code_box = QHBoxLayout(code_row)
        code_box.setContentsMargins(0, 0, 0, 0)
        code_box.addWidget(self.otp, 1)
        code_box.addWidget(self.send_code)
        form.addRow(self.tr("Signature"), self.role)
        form.addRow(self.tr("Signing service"), self.provider)
        form.addRow(self.tr("Signer's ID number"), self.user_id)
        form.addRow(find)
        form.addRow(self.tr("Certificate"), self.certs)
        form.addRow(self.tr("Certificate PIN"), self.pin)
        form.addRow(self.tr("One-time code"), code_row)
        self.form = form
        form.addRow(self.status)
        self.pages.addWidget(first)

        second = QWidget()
        box = QVBoxLayout(second)
        self.statement = QLabel()
        self.statement.setWordWrap(True)
        self.statement.setTextFormat(Qt.TextFormat.PlainText)
        self.statement.setStyleSheet("font-size: 20px;")
        self.countdown = QLabel()
        self.countdown.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.countdown.setStyleSheet("font-size: 28px; font-weight: bold;")
        box.addWidget(self.statement, 1)
        box.addWidget(self.countdown)
        self.pages.addWidget(second)

        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.token_button = self.buttons.addButton(
            self.tr("Sign with a token instead"), QDialogButtonBox.ButtonRole.ActionRole
        )
        self.ask_button = self.buttons.addButton(
            self.tr("Ask for approval"), QDialogButtonBox.ButtonRole.ActionRole
        )
        self.cancel_button = self.buttons.addButton(
            self.tr("Cancel the request"), QDialogButtonBox.ButtonRole.ActionRole
        )
        self.ask_button.clicked.connect(self.ask_requested.emit)
        self.cancel_button.clicked.connect(self.cancel_requested.emit)
        self.token_button.clicked.connect(self.token_requested.emit)
        self.buttons.rejected.connect(self.reject)
        self.certs.currentRowChanged.connect(lambda _row: self._update())
        self.pin.textChanged.connect(lambda _t: self._update())
        self.otp.textChanged.connect(lambda _t: self._update())
        layout = QVBoxLayout(self)
        layout.addWidget(self.pages, 1)
        layout.addWidget(self.buttons)
        self.timer = QTimer(self)
        self.timer.timeout.connect(self._tick)
        self.resize(720, 500)
        self._update()

    def show_certificates(self, credentials: list, error: str | None = None) -> None:
        self.credentials = list(credentials)
        self.certs.clear()
        for c in self.credentials:
            info = c.info
            state = (
                self.tr("EXPIRED")
                if info.expired
                else self.tr("valid until {date}").format(date=info.not_after.strftime("%d/%m/%Y"))
            )
            ids = ", ".join(f"{k} {n}" for k, n in info.ids)
            item = QListWidgetItem(
                f"{info.holder} ({ids})\n{info.issuer}{', ' + info.organization if info.organization else ''} - {state}"
            )
            if info.expired:
                item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsEnabled)
            self.certs.addItem(item)
        usable = [i for i, c in enumerate(self.credentials) if not c.info.expired]
        if usable:
            self.certs.setCurrentRow(usable[0])
        self.show_message(error or "")

    def show_message(self, text: str) -> None:
        """Back to the first step with `text` (a refusal, an expiry, no certificate...)."""
        self.timer.stop()
        self.pages.setCurrentIndex(0)
        self.status.setText(text)
        self._update()

    def chosen(self):
        row = self.certs.currentRow()
        if 0 <= row < len(self.credentials) and not self.credentials[row].info.expired:
            return self.credentials[row]
        return None

    def done(self, result: int) -> None:
        self.timer.stop()  # signed, closed or refused: no countdown left running
        super().done(result)

    def take_codes(self) -> tuple[str | None, str | None]:
        """The PIN and one-time code typed for the chosen certificate; the fields are emptied."""
        c = self.chosen()
        pin = self.pin.text() if c is not None and c.asks_pin else ""
        otp = self.otp.text() if c is not None and c.asks_otp else ""
        self.pin.clear()
        self.otp.clear()
        return pin or None, otp or None

    def waiting(self, seconds: float) -> None:
        """Step 2: what is signed, in large type, and the time the signer has left."""
        c = self.chosen()
        docs = "\n".join(
            self.tr("  - {name} ({pages} pages)").format(name=n, pages=p) for n, p in self.documents
        )
        self.statement.setText(
            self.tr(
                "{holder} is asked to sign with {service}:\n{docs}\n\nApprove the request on your phone."
            ).format(holder=c.info.holder if c else "", service=self.provider.currentText(), docs=docs)
        )
        self.deadline = time.monotonic() + seconds
        self.pages.setCurrentIndex(1)
        self._tick()
        self.timer.start(1000)
        self._update()

    def _tick(self) -> None:
        left = max(0, int(self.deadline - time.monotonic()))
        self.countdown.setText(
            self.tr("Approve on your phone: {m}:{s:02d} left").format(m=left // 60, s=left % 60)
        )

    def _update(self) -> None:
        waiting = self.pages.currentIndex() == 1
        c = self.chosen()
        self.form.setRowVisible(self.pin, bool(c and c.asks_pin))
        self.form.setRowVisible(self.otp.parentWidget(), bool(c and c.asks_otp))
        self.send_code.setVisible(bool(c and c.asks_otp == "online"))
        self.ask_button.setVisible(not waiting)
        ready = c is not None and (not c.asks_pin or self.pin.text()) and (not c.asks_otp or self.otp.text())
        self.ask_button.setEnabled(bool(ready))
        self.cancel_button.setVisible(waiting)
        self.token_button.setVisible(not waiting)
