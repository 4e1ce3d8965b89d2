"""Outgoing email. The app only ships an in-memory sender (tests read `.sent`)."""

from dataclasses import dataclass
from typing import Protocol


class EmailDeliveryError(Exception):
    """Raised by a sender that could not deliver a message."""


class EmailSender(Protocol):
    async def send(self, to: str, subject: str, body: str) -> None: ...


@dataclass
class SentEmail:
    to: str
    subject: str
    body: str


class InMemoryEmailSender:
    """Records messages in `self.sent`; with `fail=True`, `send` raises EmailDeliveryError."""

    def __init__(self, fail: bool = False) -> None:
        self.sent: list[SentEmail] = []
        self.fail = fail

    async def send(self, to: str, subject: str, body: str) -> None:
        if self.fail:
            raise EmailDeliveryError(f"could not deliver email to {to}")
        self.sent.append(SentEmail(to=to, subject=subject, body=body))

    def reset(self) -> None:
        self.sent.clear()
        self.fail = False


_email_sender = InMemoryEmailSender()


def get_email_sender() -> InMemoryEmailSender:
    """The process-wide sender."""
    return _email_sender


def reset_email_sender() -> InMemoryEmailSender:
    """Clear the process-wide sender in place (sent list emptied, `fail` off) and return it."""
    _email_sender.reset()
    return _email_sender
