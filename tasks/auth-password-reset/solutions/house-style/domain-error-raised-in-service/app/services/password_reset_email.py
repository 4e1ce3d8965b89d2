"""The password reset email, sent through the app's (async) email sender."""

import logging
from datetime import timedelta

from app.integrations.email import EmailDeliveryError, EmailSender
from app.services.password_reset_service import RESET_TOKEN_TTL, ResetTicket

RESET_EMAIL_SUBJECT = "Reset your password"
RESET_EMAIL_BODY = (
    "Someone asked to reset the password of your account.\n"
    "Use this token to choose a new password (valid for {minutes} minutes, once):\n\ntoken: {token}\n\n"
    "If it was not you, ignore this email."
)

logger = logging.getLogger(__name__)


async def send_reset_email(sender: EmailSender, ticket: ResetTicket) -> None:
    """Send the reset token; a delivery failure is logged, never shown to the requester."""
    try:
        await sender.send(
            to=ticket.email,
            subject=RESET_EMAIL_SUBJECT,
            body=RESET_EMAIL_BODY.format(
                token=ticket.raw_token, minutes=RESET_TOKEN_TTL // timedelta(minutes=1)
            ),
        )
    except EmailDeliveryError:
        logger.warning("password reset email to %s could not be delivered", ticket.email)
