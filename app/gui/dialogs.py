"""Small dialogs: a new dossier, the pages to import, the token PIN."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
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
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(self.tr("New dossier"), parent)
        self.code = QLineEdit()
        self.code.setPlaceholderText(self.tr("Type or scan the receipt's code"))
        self.procedure = QLineEdit()
        self.applicant_name = QLineEdit()
        self.applicant_id = QLineEdit()
        self.applicant_id.setPlaceholderText(self.tr("12-digit citizen ID number"))
        self.form.addRow(self.tr("Dossier code"), self.code)
        self.form.addRow(self.tr("Procedure"), self.procedure)
        self.form.addRow(self.tr("Applicant"), self.applicant_name)
        self.form.addRow(self.tr("Citizen ID"), self.applicant_id)

    def values(self) -> dict:
        return {
            "code": self.code.text().strip(),
            "procedure": self.procedure.text().strip(),
            "applicant_name": self.applicant_name.text().strip(),
            "applicant_id": self.applicant_id.text().strip(),
        }


class ComponentDialog(_FormDialog):
    """Which component of the dossier the imported pages belong to."""

    def __init__(self, existing: list[str], parent: QWidget | None = None) -> None:
        super().__init__(self.tr("Import pages"), parent)
        self.name = QComboBox()
        self.name.setEditable(True)
        self.name.addItems(existing)
        self.kind = QComboBox()
        self.kind.addItem(self.tr("Document"), "document")
        self.kind.addItem(self.tr("Drawing"), "drawing")
        self.form.addRow(self.tr("Component"), self.name)
        self.form.addRow(self.tr("Kind"), self.kind)

    def values(self) -> tuple[str, str]:
        return self.name.currentText().strip(), self.kind.currentData()


class SignDialog(_FormDialog):
    """Token driver and PIN; the PIN lives only in this dialog and the signing job."""

    def __init__(self, modules: list[str], parent: QWidget | None = None) -> None:
        super().__init__(self.tr("Sign"), parent)
        self.module = QComboBox()
        self.module.setEditable(True)
        self.module.addItems(modules)
        self.role = QComboBox()
        self.role.addItem(self.tr("Citizen signs the documents"), "citizen")
        self.role.addItem(self.tr("Official certifies the electronic copy (SAO Y)"), "official")
        self.pin = QLineEdit()
        self.pin.setEchoMode(QLineEdit.EchoMode.Password)
        self.pin.setPlaceholderText(self.tr("Leave empty for a token with its own keypad"))
        self.form.addRow(
            QLabel(self.tr("The selected components will be signed, checked and queued for sending."))
        )
        self.form.addRow(self.tr("Signature"), self.role)
        self.form.addRow(self.tr("Token driver"), self.module)
        self.form.addRow(self.tr("PIN"), self.pin)

    def take_pin(self) -> str:
        """Return the PIN and clear the field."""
        pin = self.pin.text()
        self.pin.clear()
        return pin
