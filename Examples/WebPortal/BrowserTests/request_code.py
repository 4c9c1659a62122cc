#!/usr/bin/env python3
"""Logs in to a running dapodik-portal as the demo's operator and asks for a verification code
(VERIFIKASI SEKARANG, then LANJUT), over plain HTTP with the session cookie and each form's CSRF token,
as a browser would. Used by .ci/portal-smtp, which then looks for the code's mail at its SMTP server.

Usage: request_code.py BASE_URL
"""
import http.client
import re
import sys
import urllib.parse

OPERATOR, PASSWORD = "siti", "Sekolah-Hebat-2026"


def main(base):
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
    if 'role="alert"' in page:
        sys.exit("the code page shows an error:\n" + page)
    print(f"code requested; the code page answered {status}")


if __name__ == "__main__":
    main(sys.argv[1])
