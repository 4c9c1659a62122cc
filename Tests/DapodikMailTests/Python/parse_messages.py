#!/usr/bin/env python3
"""Parses rendered messages with Python's email package (policy.default), an independent parser.

Usage: parse_messages.py DIRECTORY

For every NAME.eml in DIRECTORY there is a NAME.json with what went in. Prints one JSON object:
{"checked": N, "failures": ["NAME: reason", ...]}. Exits 0 when it could run at all.
"""
import email
import json
import pathlib
import sys
from email import policy
from email.header import decode_header, make_header
from email.utils import getaddresses


def normalize_body(text):
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return text if text.endswith("\n") else text + "\n"


def check(raw, expected):
    problems = []
    if not raw.endswith(b"\r\n"):
        problems.append("does not end with CRLF")
    for number, line in enumerate(raw.split(b"\r\n")[:-1], start=1):
        if b"\r" in line or b"\n" in line:
            problems.append(f"line {number} has a bare CR or LF")
        if len(line) > 998:
            problems.append(f"line {number} has {len(line)} octets")
        if any(byte > 127 for byte in line):
            problems.append(f"line {number} is not 7-bit")
    message = email.message_from_bytes(raw, policy=policy.default)
    for part in message.walk():
        if part.defects:
            problems.append(f"defects in {part.get_content_type()}: {part.defects!r}")
        for name, value in part.items():
            if getattr(value, "defects", None):
                problems.append(f"defects in header {name}: {value.defects!r}")

    def equal(label, got, want):
        if got != want:
            problems.append(f"{label}: got {got!r}, want {want!r}")

    equal("subject", str(message["subject"]), expected["subject"])
    equal("auto-submitted", str(message["auto-submitted"]), "auto-generated")
    equal("mime-version", str(message["mime-version"]), "1.0")
    equal("message-id", str(message["message-id"]), "<" + expected["message_id"] + ">")
    equal("date", message["date"].datetime.timestamp(), float(expected["date_epoch"]))
    equal("date offset", message["date"].datetime.utcoffset().total_seconds(), float(expected["date_offset"]))

    # Display names are compared as RFC 2047 §6.2 decodes them: white space between adjacent
    # encoded-words is dropped. policy.default's phrase parser (3.11) keeps it and collapses runs of
    # white space, so its display_name is compared only where no such ambiguity can arise: a name
    # written as plain words, a quoted string or a single encoded-word.
    legacy = email.message_from_bytes(raw, policy=policy.compat32)

    def mailboxes(header, want):
        parsed = message[header].addresses
        raw_pairs = getaddresses(legacy.get_all(header))
        equal(header + " count", len(parsed), len(want))
        for address, (raw_name, raw_address), expected_box in zip(parsed, raw_pairs, want):
            equal(header + " address", address.addr_spec, expected_box["address"])
            equal(header + " raw address", raw_address, expected_box["address"])
            decoded = str(make_header(decode_header(raw_name))) if raw_name else ""
            equal(header + " name (RFC 2047 decoding)", decoded, expected_box["name"])
            if raw_name.count("=?UTF-8?") <= 1:
                equal(header + " name (policy.default)", address.display_name, expected_box["name"])

    mailboxes("from", [expected["from"]])
    mailboxes("to", expected["to"])
    if expected.get("reply_to"):
        mailboxes("reply-to", [expected["reply_to"]])
    for name, value in expected.get("extra_headers", []):
        equal("header " + name, str(message[name]), value)

    text_part = message.get_body(("plain",))
    if text_part is None:
        problems.append("no text/plain body")
    else:
        equal("text/plain charset", text_part.get_content_charset(), "utf-8")
        text = text_part.get_content()
        equal("text body", normalize_body(text), normalize_body(expected["text"]))
        code = expected.get("code")
        if code and code not in [line.strip() for line in text.splitlines()]:
            problems.append(f"code {code} is not alone on a line of the text body")
    if expected.get("html") is not None:
        equal("content-type", message.get_content_type(), "multipart/alternative")
        kinds = [part.get_content_type() for part in message.iter_parts()]
        equal("part order", kinds, ["text/plain", "text/html"])
        html_part = message.get_body(("html",))
        if html_part is None:
            problems.append("no text/html body")
        else:
            equal("html body", normalize_body(html_part.get_content()), normalize_body(expected["html"]))
    else:
        equal("content-type", message.get_content_type(), "text/plain")
    return problems


def main():
    directory = pathlib.Path(sys.argv[1])
    failures = []
    checked = 0
    for path in sorted(directory.glob("*.eml")):
        expected = json.loads(path.with_suffix(".json").read_text(encoding="utf-8"))
        try:
            problems = check(path.read_bytes(), expected)
        except Exception as error:  # a crash of the parser is a failure of the message
            problems = [f"exception {type(error).__name__}: {error}"]
        checked += 1
        failures += [f"{path.stem}: {problem}" for problem in problems]
    print(json.dumps({"checked": checked, "failures": failures}))


if __name__ == "__main__":
    main()
