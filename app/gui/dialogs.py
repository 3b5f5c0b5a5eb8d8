"""Small dialogs: a new dossier, the component that pages go into."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
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
