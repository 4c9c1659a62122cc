#!/usr/bin/env python3
"""aiosmtpd on 127.0.0.1 with TLS and AUTH, for the SMTP transport's end-to-end tests.

Usage: tls_server.py DIRECTORY --mode {starttls,implicit} --cert PEM --key KEY
                     [--user NAME --password SECRET] [--token TOKEN] [--max-tls 1.1]
                     [--drop-after-data]

STARTTLS mode requires STARTTLS before anything else; both modes require AUTH (PLAIN, LOGIN, and
XOAUTH2 when --token is given). Accepted messages are written to DIRECTORY as N.eml (the bytes
after un-dot-stuffing) and N.json (envelope, the session's peer port). --max-tls 1.1 offers TLS 1.0
and 1.1 only (OpenSSL 3 serves them only at security level 0), to prove the client refuses them.
--drop-after-data saves each message and then drops the connection without answering the final dot:
the message arrived, and the client cannot know it. Prints "ready PORT" once it
listens and exits when its standard input closes, so it never outlives the test.
"""
import argparse
import asyncio
import base64
import hmac
import json
import pathlib
import ssl
import sys
import warnings

from aiosmtpd.smtp import SMTP, AuthResult, LoginPassword


class Handler:
    def __init__(self, directory, token, drop_after_data=False):
        self.directory = directory
        self.token = token
        self.drop_after_data = drop_after_data
        self.count = 0

    async def handle_DATA(self, server, session, envelope):
        self.count += 1
        stem = self.directory / f"{self.count:04d}"
        stem.with_suffix(".eml").write_bytes(envelope.original_content)
        stem.with_suffix(".json").write_text(
            json.dumps(
                {
                    "mail_from": envelope.mail_from,
                    "rcpt_tos": envelope.rcpt_tos,
                    "peer_port": session.peer[1],
                    "mail_options": envelope.mail_options,
                }
            )
        )
        if self.drop_after_data:
            server.transport.abort()
        return f"250 2.0.0 Ok: queued as Q{self.count:05d}"

    async def handle_QUIT(self, server, session, envelope):
        """Records each QUIT as quit-PEERPORT, so a test can see the client ended its sessions."""
        (self.directory / f"quit-{session.peer[1]}").write_text("")
        return "221 2.0.0 Sampai jumpa"

    async def auth_XOAUTH2(self, server, args):
        """XOAUTH2 as Google and Microsoft define it: one initial response, then 235 or 535."""
        if self.token is None or len(args) < 2:
            return AuthResult(success=False, handled=False)
        try:
            fields = base64.b64decode(args[1], validate=True).decode("utf-8").split("\x01")
        except Exception:
            return AuthResult(success=False, handled=False)
        ok = len(fields) >= 2 and fields[1] == "auth=Bearer " + self.token
        return AuthResult(success=ok, handled=False, auth_data=fields[0] if ok else None)


def authenticator(user, password):
    def check(server, session, envelope, mechanism, auth_data):
        if not isinstance(auth_data, LoginPassword):
            return AuthResult(success=False, handled=False)
        good = hmac.compare_digest(auth_data.login, user.encode()) and hmac.compare_digest(
            auth_data.password, password.encode()
        )
        return AuthResult(success=good, handled=False)

    return check


async def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("directory")
    parser.add_argument("--mode", choices=["starttls", "implicit"], required=True)
    parser.add_argument("--cert", required=True)
    parser.add_argument("--key", required=True)
    parser.add_argument("--user", default="operator@sekolah.test")
    parser.add_argument("--password", default="rahasia")
    parser.add_argument("--token")
    parser.add_argument("--max-tls", choices=["1.1"])
    parser.add_argument("--drop-after-data", action="store_true")
    options = parser.parse_args()
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(options.cert, options.key)
    if options.max_tls == "1.1":
        context.set_ciphers("DEFAULT:@SECLEVEL=0")
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", DeprecationWarning)
            context.minimum_version = ssl.TLSVersion.TLSv1
            context.maximum_version = ssl.TLSVersion.TLSv1_1
    handler = Handler(pathlib.Path(options.directory), options.token, options.drop_after_data)
    starttls = options.mode == "starttls"

    def factory():
        return SMTP(
            handler,
            hostname="smtp.test",
            decode_data=False,
            tls_context=context if starttls else None,
            require_starttls=starttls,
            authenticator=authenticator(options.user, options.password),
            auth_required=True,
            auth_require_tls=starttls,
        )

    loop = asyncio.get_running_loop()
    server = await loop.create_server(
        factory, host="127.0.0.1", port=0, ssl=None if starttls else context
    )
    port = server.sockets[0].getsockname()[1]
    print(f"ready {port}", flush=True)
    await loop.run_in_executor(None, sys.stdin.read)
    server.close()


if __name__ == "__main__":
    asyncio.run(main())
