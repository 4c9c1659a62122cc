#!/usr/bin/env python3
"""A local SMTP server for the end-to-end tests (aiosmtpd on 127.0.0.1, a free port).

Usage: smtp_server.py DIRECTORY [--rcpt-reply CODE] [--data-reply CODE]

CODE is 250 (accept), 451 (try again later) or 550 (refuse). Accepted messages are written to
DIRECTORY as N.eml, with N.json holding the envelope. Prints "ready PORT" once it listens, and
exits when its standard input closes, so it never outlives the test that started it.
"""
import argparse
import asyncio
import json
import pathlib
import sys

from aiosmtpd.smtp import SMTP

REPLIES = {
    250: "250 2.0.0 Ok: queued as {queue_id}",
    451: "451 4.3.0 Mailbox temporarily unavailable, try again later",
    550: "550 5.1.1 Mailbox unavailable: no such user here",
}


class Handler:
    def __init__(self, directory, rcpt_reply, data_reply):
        self.directory = directory
        self.rcpt_reply = rcpt_reply
        self.data_reply = data_reply
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
        return REPLIES[250].format(queue_id=queue_id)


async def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("directory")
    parser.add_argument("--rcpt-reply", type=int, default=250, choices=sorted(REPLIES))
    parser.add_argument("--data-reply", type=int, default=250, choices=sorted(REPLIES))
    options = parser.parse_args()
    handler = Handler(pathlib.Path(options.directory), options.rcpt_reply, options.data_reply)
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
