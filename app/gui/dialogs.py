"""Small dialogs: a new dossier, the component that pages go into."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)


class _FormDialog(QDialog):
    def __init__(self, title: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.form = QFormLayout()
        layout = QVBoxLayout(self)
        layout.addLayout(self.form)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)


class NewDossierDialog(_FormDialog):
    """A new dossier: the code typed or read from the receipt's barcode (a barcode gun types it),
    the applicant filled from the chip ID card's QR (a QR gun, or a scan of the card)."""

    read_scan_requested = Signal(str)  # a scan or photo of the receipt or the card
    camera_requested = Signal()  # the card held up to a webcam

    def __init__(self, parent: QWidget | None = None, procedures: list[str] | None = None) -> None:
        super().__init__(self.tr("New dossier"), parent)
        self.code = QLineEdit()
        self.code.setPlaceholderText(self.tr("Type or scan the receipt's code"))
        self.card = QLineEdit()
        self.card.setPlaceholderText(self.tr("Point the QR gun at the ID card's QR code"))
        self.card.returnPressed.connect(self._card_typed)
        self.card.textChanged.connect(self._card_typed)
        self.from_scan = QPushButton(self.tr("Read from a scan of the receipt or card..."))
        self.from_scan.clicked.connect(self._choose_scan)
        self.from_camera = QPushButton(self.tr("Read the ID card with the camera..."))
        self.from_camera.clicked.connect(self.camera_requested.emit)
        self.procedure = QComboBox()  # the catalog's procedures, or any other typed in
        self.procedure.setEditable(True)
        self.procedure.addItems(procedures or [])
        self.procedure.setCurrentIndex(-1)
        self.applicant_name = QLineEdit()
        self.applicant_id = QLineEdit()
        self.applicant_id.setPlaceholderText(self.tr("12-digit citizen ID number"))
        self.card_details = QLabel()
        self.form.addRow(self.tr("Dossier code"), self.code)
        self.form.addRow(self.tr("ID card QR"), self.card)
        self.form.addRow(self.from_scan)
        self.form.addRow(self.from_camera)
        self.form.addRow(self.tr("Procedure"), self.procedure)
        self.form.addRow(self.tr("Applicant"), self.applicant_name)
        self.form.addRow(self.tr("Citizen ID"), self.applicant_id)
        self.form.addRow(self.card_details)

    def _card_typed(self, *_args) -> None:
        """A QR gun types the card's text (fields separated by |) and Enter."""
        from scanner.codes import parse_cccd

        card = parse_cccd(self.card.text().strip())
        if card is not None:
            self.fill(None, card)
            self.card.clear()

    def _choose_scan(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self,
            self.tr("Scan of the receipt or ID card"),
            "",
            self.tr("Scans (*.png *.jpg *.jpeg *.tif *.tiff *.pdf)"),
        )
        if path:
            self.read_scan_requested.emit(path)

    def fill(self, code: str | None, card) -> None:
        """What a receipt's barcode and a card's QR said (either may be None)."""
        if code:
            self.code.setText(code)
        if card is not None:
            self.applicant_name.setText(card.full_name)
            self.applicant_id.setText(card.id_number)
            born = "/".join(reversed(card.date_of_birth.split("-"))) if card.date_of_birth else ""
            self.card_details.setText(
                self.tr("Born {date}, {address}").replace("{date}", born).replace("{address}", card.address)
            )

    def values(self) -> dict:
        return {
            "code": self.code.text().strip(),
            "procedure": self.procedure.currentText().strip(),
            "applicant_name": self.applicant_name.text().strip(),
            "applicant_id": self.applicant_id.text().strip(),
        }


class ComponentDialog(_FormDialog):
    """Which component of the dossier the imported pages belong to."""

    def __init__(
        self, existing: list[str], parent: QWidget | None = None, missing: list | None = None
    ) -> None:
        """`missing`: the catalog's parts the dossier still lacks (offered first, with their kind)."""
        super().__init__(self.tr("Import pages"), parent)
        self.name = QComboBox()
        self.name.setEditable(True)
        self.kinds = {part.name: part.kind for part in missing or []}
        self.name.addItems(
            [part.name for part in missing or []] + [n for n in existing if n not in self.kinds]
        )
        self.kind = QComboBox()
        self.kind.addItem(self.tr("Document"), "document")
        self.kind.addItem(self.tr("Drawing"), "drawing")
        self.name.currentTextChanged.connect(self._kind_of)
        self._kind_of(self.name.currentText())
        self.form.addRow(self.tr("Component"), self.name)
        self.form.addRow(self.tr("Kind"), self.kind)

    def _kind_of(self, name: str) -> None:
        if name in self.kinds:
            self.kind.setCurrentIndex(self.kind.findData(self.kinds[name]))

    def values(self) -> tuple[str, str]:
        return self.name.currentText().strip(), self.kind.currentData()
