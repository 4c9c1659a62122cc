#!/usr/bin/env python3
"""Logs in to a running dapodik-portal as the demo's operator and asks for a verification code
(VERIFIKASI SEKARANG, then LANJUT), over plain HTTP with the session cookie and each form's CSRF token,
as a browser would. Used by .ci/portal-smtp, which then looks for the code's mail at its SMTP server.

The code page must then show no alert; with --expect-alert it must show one holding INDONESIAN, and
holding ENGLISH once the visitor switches to English (a code the portal could not send).

Usage: request_code.py BASE_URL [--expect-alert INDONESIAN ENGLISH]
"""
import html
import http.client
import re
import sys
import urllib.parse

OPERATOR, PASSWORD = "siti", "Sekolah-Hebat-2026"


def alerts(page):
    """The texts of the alerts the page shows (a hidden one, which the status script may show later,
    is not shown)."""
    found = re.findall(r'<(p|dd)\b([^>]*\brole="alert"[^>]*)>(.*?)</\1>', page, re.S)
    return [html.unescape(text) for _, attributes, text in found if not re.search(r"\bhidden\b", attributes)]


def main(base, expected):
    address = urllib.parse.urlsplit(base)
    connection = http.client.HTTPConnection(address.hostname, address.port, timeout=60)
    cookies = {}

    def send(method, path, fields=None):
        headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in cookies.items())} if cookies else {}
        body = None
        if fields is not None:
            body = urllib.parse.urlencode(fields)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        connection.request(method, path, body=body, headers=headers)
        response = connection.getresponse()
        text = response.read().decode("utf-8")
        for value in response.headers.get_all("Set-Cookie") or []:
            name, _, rest = value.partition("=")
            cookies[name] = rest.split(";", 1)[0]
        return response.status, response.headers.get("Location"), text

    def token(page):
        match = re.search(r'name="csrf" value="([0-9a-f]{64})"', page)
        if not match:
            sys.exit("no CSRF token on the page:\n" + page)
        return match.group(1)

    _, _, login = send("GET", "/masuk")
    status, location, _ = send("POST", "/masuk", {"identitas": OPERATOR, "sandi": PASSWORD, "csrf": token(login)})
    if status != 303 or location != "/akun":
        sys.exit(f"the login was not accepted: {status} {location}")
    _, _, verify = send("GET", "/verifikasi")
    status, location, _ = send("POST", "/verifikasi/lanjut", {"csrf": token(verify)})
    if status != 303 or location != "/verifikasi/kode":
        sys.exit(f"LANJUT was not accepted: {status} {location}")
    status, _, page = send("GET", "/verifikasi/kode")
    if expected is None:
        if alerts(page):
            sys.exit("the code page shows an error:\n" + page)
        print(f"code requested; the code page answered {status}")
        return
    indonesian, english = expected
    if not any(indonesian in text for text in alerts(page)):
        sys.exit(f"the code page shows no alert saying {indonesian!r}:\n" + page)
    _, location, _ = send("GET", "/bahasa/en?ke=/verifikasi/kode")
    _, _, english_page = send("GET", location)
    if not any(english in text for text in alerts(english_page)):
        sys.exit(f"the English code page shows no alert saying {english!r}:\n" + english_page)
    # The transport's detail (the TLS library's reason, its error code) is for the log only.
    for shown in (page, english_page):
        if re.search(r"CERTIFICATE_VERIFY_FAILED|OPENSSL|transport\.smtp", shown):
            sys.exit("the code page shows the transport's detail:\n" + shown)
    print("code requested; the code page says, in Indonesian and in English, that it could not be sent")


if __name__ == "__main__":
    if len(sys.argv) == 2:
        main(sys.argv[1], None)
    elif len(sys.argv) == 5 and sys.argv[2] == "--expect-alert":
        main(sys.argv[1], (sys.argv[3], sys.argv[4]))
    else:
        sys.exit(__doc__)
