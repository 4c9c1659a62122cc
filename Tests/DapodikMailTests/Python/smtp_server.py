#!/usr/bin/env python3
"""A local SMTP server for the end-to-end tests (aiosmtpd on 127.0.0.1, a free port).

Usage: smtp_server.py DIRECTORY [--rcpt-reply CODE] [--data-reply CODE]
                      [--bounce-maildir MAILDIR --bounce-status X.Y.Z]

CODE is 250 (accept), 451 (try again later) or 550 (refuse). Accepted messages are written to
DIRECTORY as N.eml, with N.json holding the envelope. Prints "ready PORT" once it listens, and
exits when its standard input closes, so it never outlives the test that started it.

With --bounce-maildir, the server behaves like a relay whose next hop later refuses the message:
after accepting it, it delivers an RFC 3464 report (multipart/report, as Postfix writes one) with
status X.Y.Z to the envelope sender, into MAILDIR (tmp/ then rename into new/, the Maildir way).
"""
import argparse
import asyncio
import json
import os
import pathlib
import sys
import time
from email.utils import formatdate

from aiosmtpd.smtp import SMTP

REPLIES = {
    250: "250 2.0.0 Ok: queued as {queue_id}",
    451: "451 4.3.0 Mailbox temporarily unavailable, try again later",
    550: "550 5.1.1 Mailbox unavailable: no such user here",
}


def bounce(envelope, status, queue_id):
    """A delivery status notification for every recipient of `envelope`, to its sender."""
    original = envelope.original_content.replace(b"\r\n", b"\n")
    headers = original.split(b"\n\n", 1)[0].decode("utf-8", "replace")
    sender = envelope.mail_from
    action = "failed" if status.startswith("5") else "delayed"
    code = "552" if status == "5.2.2" else status[0] + "50"
    boundary = f"{queue_id}.{int(time.time())}/smtp.test"
    lines = [
        f"Delivered-To: {sender}",
        "Return-Path: <>",
        f"Date: {formatdate(localtime=False)}",
        "From: MAILER-DAEMON@smtp.test (Mail Delivery System)",
        "Subject: Undelivered Mail Returned to Sender",
        f"To: {sender}",
        "Auto-Submitted: auto-replied",
        "MIME-Version: 1.0",
        f'Content-Type: multipart/report; report-type=delivery-status; boundary="{boundary}"',
        "",
        f"--{boundary}",
        "Content-Type: text/plain; charset=us-ascii",
        "",
        "This is the mail system at host smtp.test.",
        "",
    ]
    for recipient in envelope.rcpt_tos:
        lines.append(f"<{recipient}>: host mx.penerima.test said: {code} {status} Mailbox full")
    lines += ["", f"--{boundary}", "Content-Type: message/delivery-status", "", "Reporting-MTA: dns; smtp.test",
              f"X-Postfix-Queue-ID: {queue_id}", f"X-Postfix-Sender: rfc822; {sender}"]
    for recipient in envelope.rcpt_tos:
        lines += ["", f"Final-Recipient: rfc822; {recipient}", f"Action: {action}", f"Status: {status}",
                  "Remote-MTA: dns; mx.penerima.test", f"Diagnostic-Code: smtp; {code} {status} Mailbox full"]
    lines += ["", f"--{boundary}", "Content-Type: text/rfc822-headers", "", f"Return-Path: <{sender}>"]
    lines += headers.split("\n")
    lines += ["", f"--{boundary}--", ""]
    return "\r\n".join(lines).encode("utf-8")


def deliver(maildir, content, queue_id):
    for sub in ("tmp", "new", "cur"):
        (maildir / sub).mkdir(parents=True, exist_ok=True)
    name = f"{int(time.time())}.P{os.getpid()}Q{queue_id}.smtp.test"
    temporary = maildir / "tmp" / name
    temporary.write_bytes(content)
    os.rename(temporary, maildir / "new" / name)


class Handler:
    def __init__(self, directory, rcpt_reply, data_reply, bounce_maildir=None, bounce_status=None):
        self.directory = directory
        self.rcpt_reply = rcpt_reply
        self.data_reply = data_reply
        self.bounce_maildir = bounce_maildir
        self.bounce_status = bounce_status
        self.count = 0

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if self.rcpt_reply != 250:
            return REPLIES[self.rcpt_reply]
        envelope.rcpt_tos.append(address)
        return "250 2.1.5 Ok"

    async def handle_DATA(self, server, session, envelope):
        if self.data_reply != 250:
            return REPLIES[self.data_reply]
        self.count += 1
        queue_id = f"Q{self.count:05d}"
        stem = self.directory / f"{self.count:04d}"
        stem.with_suffix(".eml").write_bytes(envelope.original_content)
        stem.with_suffix(".json").write_text(
            json.dumps({"mail_from": envelope.mail_from, "rcpt_tos": envelope.rcpt_tos, "queue_id": queue_id})
        )
        if self.bounce_maildir is not None:
            deliver(self.bounce_maildir, bounce(envelope, self.bounce_status, queue_id), queue_id)
        return REPLIES[250].format(queue_id=queue_id)


async def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("directory")
    parser.add_argument("--rcpt-reply", type=int, default=250, choices=sorted(REPLIES))
    parser.add_argument("--data-reply", type=int, default=250, choices=sorted(REPLIES))
    parser.add_argument("--bounce-maildir")
    parser.add_argument("--bounce-status", default="5.2.2")
    options = parser.parse_args()
    handler = Handler(
        pathlib.Path(options.directory), options.rcpt_reply, options.data_reply,
        pathlib.Path(options.bounce_maildir) if options.bounce_maildir else None, options.bounce_status,
    )
    loop = asyncio.get_running_loop()
    server = await loop.create_server(
        lambda: SMTP(handler, hostname="smtp.test", decode_data=False), host="127.0.0.1", port=0
    )
    port = server.sockets[0].getsockname()[1]
    print(f"ready {port}", flush=True)
    await loop.run_in_executor(None, sys.stdin.buffer.read)
    server.close()
    await server.wait_closed()


if __name__ == "__main__":
    asyncio.run(main())
