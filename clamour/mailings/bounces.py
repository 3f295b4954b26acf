"""Reading the reports mail systems send back: delivery status notifications (RFC 3464,
"hard bounces") and abuse feedback reports (RFC 5965, ARF, "complaints").

Only a permanent failure (Action: failed, Status 5.x.x) counts as a bounce: a full
mailbox or a greylisting delay is tried again by the mail server and is no reason to
stop writing to someone.
"""

import email
import email.policy
from dataclasses import dataclass
from email.message import Message
from email.utils import getaddresses


@dataclass
class Report:
    email: str
    kind: str  # "bounce" or "complaint" (BouncedAddress.Kind)
    detail: str
    message_id: str = ""


def _fields(part: Message) -> list[Message]:
    """The field blocks of a message/delivery-status or message/feedback-report part."""
    payload = part.get_payload()
    if isinstance(payload, list):
        return [p for p in payload if isinstance(p, Message)]
    text = payload if isinstance(payload, str) else ""
    return [email.message_from_string(block.strip() + "\n") for block in text.split("\n\n")
            if block.strip()]


def _address(value) -> str:
    """The address in "rfc822; someone@example.org"."""
    value = str(value or "")
    return value.split(";", 1)[-1].strip().strip("<>") if value else ""


def _original(message: Message) -> Message | None:
    """The returned message (or its headers), when the report includes it."""
    for part in message.walk():
        kind = part.get_content_type()
        if kind == "message/rfc822":
            payload = part.get_payload()
            return payload[0] if isinstance(payload, list) and payload else None
        if kind == "text/rfc822-headers":
            return email.message_from_string(part.get_payload(decode=True).decode(errors="replace"))
    return None


def read_reports(message: Message) -> list[Report]:
    """The hard bounces and complaints a message reports; [] for anything else."""
    if message.get_content_type() != "multipart/report":
        return []
    report_type = (message.get_param("report-type") or "").lower()
    original = _original(message)
    message_id = str(original.get("Message-ID", "")).strip() if original is not None else ""
    found = []
    for part in message.walk():
        kind = part.get_content_type()
        if report_type == "delivery-status" and kind == "message/delivery-status":
            for block in _fields(part)[1:]:  # the first block is about the whole message
                action = str(block.get("Action", "")).strip().lower()
                status = str(block.get("Status", "")).strip()
                address = _address(block.get("Final-Recipient") or block.get("Original-Recipient"))
                if action == "failed" and status.startswith("5") and "@" in address:
                    detail = str(block.get("Diagnostic-Code", "")).strip() or status
                    found.append(Report(address, "bounce", f"{status} {detail}"[:500], message_id))
        elif report_type == "feedback-report" and kind == "message/feedback-report":
            for block in _fields(part):
                address = _address(block.get("Original-Rcpt-To"))
                if not address and original is not None:
                    addresses = getaddresses([str(original.get("To", ""))])
                    address = addresses[0][1] if addresses else ""
                if "@" in address:
                    feedback = str(block.get("Feedback-Type", "abuse")).strip()
                    found.append(Report(address, "complaint", f"feedback: {feedback}", message_id))
    return found


def messages_in(data: bytes) -> list[Message]:
    """One message, or every message of an mbox file (it starts with "From ")."""
    if data.startswith(b"From "):
        return [email.message_from_bytes(chunk, policy=email.policy.compat32)
                for chunk in _split_mbox(data)]
    return [email.message_from_bytes(data, policy=email.policy.compat32)]


def _split_mbox(data: bytes) -> list[bytes]:
    chunks, current = [], []
    for line in data.splitlines(keepends=True):
        if line.startswith(b"From ") and (not current or current[-1].strip() == b""):
            if current:
                chunks.append(b"".join(current))
            current = []
            continue
        current.append(line[1:] if line.startswith(b">From ") else line)
    if current:
        chunks.append(b"".join(current))
    return chunks
