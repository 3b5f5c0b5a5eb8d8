"""Errors of data services and data records. Never carry a secret, nor anything of an answer."""

from common.errors import QT_TRANSLATE_NOOP, UserError


class RecordError(UserError):
    context = "records"
    template = QT_TRANSLATE_NOOP("records", "Data record error: {detail}")
    exit_code = 9


class ServiceUnavailable(RecordError):
    template = QT_TRANSLATE_NOOP(
        "records",
        "The data service {service} cannot be reached ({detail}). No record was made; try again when "
        "the network is back.",
    )


class ServiceTimeout(RecordError):
    template = QT_TRANSLATE_NOOP(
        "records", "The data service {service} did not answer within {seconds} seconds. No record was made."
    )


class ServiceRefused(RecordError):
    template = QT_TRANSLATE_NOOP(
        "records",
        "The data service {service} refused the request (HTTP {status}): {detail}. No record was made.",
    )


class InsecureDataService(RecordError):
    template = QT_TRANSLATE_NOOP(
        "records",
        "The data service address {url} is not https. Only a service on this computer may be reached "
        "without encryption.",
    )
    exit_code = 2


class AnswerTooLarge(RecordError):
    template = QT_TRANSLATE_NOOP(
        "records",
        "The answer of {service} is larger than {limit} KB, more than a data record may hold. No record "
        "was made.",
    )


class AnswerNotUtf8(RecordError):
    template = QT_TRANSLATE_NOOP("records", "The answer of {service} is not UTF-8 text. No record was made.")


class AnswerIsHtml(RecordError):
    template = QT_TRANSLATE_NOOP(
        "records",
        "The data service {service} sent a web page instead of data (an error page or a login page). No "
        "record was made.",
    )


class AnswerMalformed(RecordError):
    template = QT_TRANSLATE_NOOP(
        "records", "The answer of {service} is not well-formed {kind} ({detail}). No record was made."
    )


class NotARecord(RecordError):
    template = QT_TRANSLATE_NOOP(
        "records", "{name} is not a SoHoa data record (no embedded answer: {detail})."
    )
    exit_code = 1
