"""Secret Fahrplan links never reach a log line.

A Fahrplan's address is its only key (selfcheck/models.py), so a log line with it would hand
the plan to everyone who reads the logs. Django writes request paths into warnings
("Forbidden (CSRF cookie not set.): /fahrplan/…/", "Not Found: …", the outage line) and
runserver and gunicorn write them into access lines. ``redact`` replaces the token part.

``configure`` is Django's LOGGING_CONFIG: it applies LOGGING and installs a log record factory
that redacts every record of the process as it is created – Django's loggers, third-party
ones and gunicorn's inside the worker alike. ``RedactTokensFilter`` does the same for a
handler or logger configured elsewhere; deploy/gunicorn.conf.py redacts gunicorn's access log.
"""

import logging
import logging.config
import re

# "/fahrplan/" followed by a token-like segment; "neu" and "geloescht" are too short to match.
TOKEN_IN_PATH = re.compile(r"(fahrplan/)[A-Za-z0-9_-]{16,}")
REPLACEMENT = r"\1[redacted]"


def redact(text):
    return TOKEN_IN_PATH.sub(REPLACEMENT, text) if "fahrplan/" in text else text


def redact_record(record):
    """Replace the record's message (and its traceback text) by a redacted copy."""
    try:
        message = record.getMessage()
    except Exception:  # a broken format string: leave it for logging's own error report
        return record
    redacted = redact(message)
    if redacted != message:
        record.msg, record.args = redacted, None
    if record.exc_info and not record.exc_text:
        record.exc_text = logging.Formatter().formatException(record.exc_info)
    if record.exc_text:
        record.exc_text = redact(record.exc_text)
    return record


class RedactTokensFilter(logging.Filter):
    def filter(self, record):
        redact_record(record)
        return True


_installed = False


def configure(logging_settings):
    """LOGGING_CONFIG: Django's dictConfig plus the redacting record factory (once)."""
    global _installed
    if logging_settings:
        logging.config.dictConfig(logging_settings)
    if not _installed:
        create = logging.getLogRecordFactory()

        def redacting_factory(*args, **kwargs):
            return redact_record(create(*args, **kwargs))

        logging.setLogRecordFactory(redacting_factory)
        _installed = True
