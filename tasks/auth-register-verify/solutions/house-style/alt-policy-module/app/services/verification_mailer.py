"""The verification email."""

import logging

from app.core.account_policy import VERIFICATION_TOKEN_LIFETIME
from app.integrations.email import EmailDeliveryError, EmailSender

SUBJECT = "Verify your email address"
SECONDS_PER_HOUR = 3600

log = logging.getLogger(__name__)


def compose_body(raw_token: str) -> str:
    hours = int(VERIFICATION_TOKEN_LIFETIME.total_seconds()) // SECONDS_PER_HOUR
    return "\n".join(
        [
            "Thanks for signing up.",
            f"Paste this token into the app within {hours} hours to confirm your address:",
            "",
            f"token: {raw_token}",
        ]
    )


class VerificationMailer:
    def __init__(self, sender: EmailSender) -> None:
        self.sender = sender

    async def deliver(self, address: str, raw_token: str) -> bool:
        """Send the token; False (and a log line) when the provider refused it."""
        try:
            await self.sender.send(address, SUBJECT, compose_body(raw_token))
        except EmailDeliveryError:
            log.exception("could not send the verification email to %s", address)
            return False
        return True
