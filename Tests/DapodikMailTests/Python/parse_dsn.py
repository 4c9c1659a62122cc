#!/usr/bin/env python3
"""Reads delivery status notifications (RFC 3464) with Python's email package, a second opinion.

Usage: parse_dsn.py DIRECTORY

For every NAME.eml in DIRECTORY prints, in one JSON object keyed by NAME, what Python's email
package (policy.default) finds: the per-recipient fields of the message/delivery-status part and
the Message-ID of the returned headers. Values are unfolded with white-space runs made one space
and a typed value's "type;" removed, as RFC 3464 §2.1.2 describes them.
"""
import email
import json
import pathlib
import sys
from email import policy
from email.utils import parsedate_to_datetime


def clean(value):
    if value is None:
        return None
    text = " ".join(str(value).split())
    head, sep, rest = text.partition(";")
    if sep and head.strip().replace("-", "").isalnum():
        text = rest.strip()
    return text


def address(value):
    text = clean(value)
    if text is None:
        return None
    return text.strip("<> ")


def read(raw):
    message = email.message_from_bytes(raw, policy=policy.default)
    recipients = []
    original = None
    reporting = None
    for part in message.walk():
        kind = part.get_content_type()
        if kind == "message/delivery-status":
            blocks = part.get_payload()
            reporting = clean(blocks[0].get("Reporting-MTA"))
            for block in blocks[1:]:
                until = block.get("Will-Retry-Until")
                recipients.append(
                    {
                        "final_recipient": address(block.get("Final-Recipient")),
                        "original_recipient": address(block.get("Original-Recipient")),
                        "action": clean(block.get("Action")).lower(),
                        "status": clean(block.get("Status")),
                        "diagnostic": clean(block.get("Diagnostic-Code")),
                        "remote_mta": clean(block.get("Remote-MTA")),
                        "will_retry_until": int(parsedate_to_datetime(str(until)).timestamp()) if until else None,
                    }
                )
        elif kind == "text/rfc822-headers":
            headers = email.message_from_string(part.get_content(), policy=policy.default)
            original = headers.get("Message-ID")
        elif kind == "message/rfc822":
            original = part.get_payload(0).get("Message-ID")
    if original is not None:
        original = str(original).strip().strip("<>")
    return {"recipients": recipients, "original_message_id": original, "reporting_mta": reporting}


def main():
    directory = pathlib.Path(sys.argv[1])
    out = {}
    for path in sorted(directory.glob("*.eml")):
        out[path.stem] = read(path.read_bytes())
    print(json.dumps(out))


if __name__ == "__main__":
    main()
