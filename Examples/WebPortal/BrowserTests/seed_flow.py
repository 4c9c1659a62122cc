#!/usr/bin/env python3
"""The seed's whole flow in a real browser (Debian's chromium through chromium-driver and Selenium).

Against a running `dapodik-portal --demo` with a fresh data directory:
  desktop (1280 px): the operator logs in, verifies their own e-mail (LANJUT, code from the demo
  mailbox page, SIMPAN), registers a PTK (mistyping gmial.com and taking the suggestion), logs out;
  the PTK logs in, opens BIODATA -> Akun, VERIFIKASI SEKARANG, checks the address, LANJUT, watches
  the live status (the countdown must move without a reload), reads the code from the demo mailbox,
  SIMPAN, sees "Terverifikasi"; the operator sees the PTK as "terverifikasi" in the school report.
  phone (360 px): the operator (already verified) registers a second PTK, who goes through the same
  steps; no page may be wider than the screen.
Every step checks the texts it expects; a missing one fails the run. Screenshots go to the
directory given (default ./screenshots). The browser's console must show no error (a Content
Security Policy violation would be one).

Usage: seed_flow.py [BASE_URL] [SCREENSHOT_DIR]
"""
import os
import re
import sys
import time

from selenium import webdriver
from selenium.common.exceptions import TimeoutException, WebDriverException
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import WebDriverWait

BASE = (sys.argv[1] if len(sys.argv) > 1 else "http://127.0.0.1:8080").rstrip("/")
SHOTS = sys.argv[2] if len(sys.argv) > 2 else "screenshots"
OPERATOR = ("siti", "Sekolah-Hebat-2026", "siti.aminah@gmail.com")


class FlowFailure(Exception):
    pass


class Flow:
    def __init__(self, label, width, height, mobile):
        self.label = label
        self.step = 0
        options = webdriver.ChromeOptions()
        options.binary_location = os.environ.get("CHROMIUM", "/usr/bin/chromium")
        for argument in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu"):
            options.add_argument(argument)
        options.add_argument(f"--window-size={width},{height}")
        if mobile:
            options.add_experimental_option(
                "mobileEmulation", {"deviceMetrics": {"width": width, "height": height, "pixelRatio": 1.0}})
        options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
        service = webdriver.ChromeService(executable_path=os.environ.get("CHROMEDRIVER", "/usr/bin/chromedriver"))
        self.driver = webdriver.Chrome(options=options, service=service)
        self.driver.set_page_load_timeout(60)

    # Helpers ---------------------------------------------------------------------------------

    def body(self):
        return self.driver.find_element(By.TAG_NAME, "body").text

    def shot(self, name):
        self.step += 1
        os.makedirs(SHOTS, exist_ok=True)
        path = os.path.join(SHOTS, f"{self.label}-{self.step:02d}-{name}.png")
        self.driver.save_screenshot(path)
        return path

    def expect(self, *texts, name="check"):
        text = self.body()
        missing = [t for t in texts if t not in text]
        if missing:
            self.shot("FAILED-" + name)
            raise FlowFailure(f"[{self.label}] {self.driver.current_url}: missing {missing!r}\n--- page ---\n{text}")
        self.check_fits()
        self.check_labels()

    def check_fits(self):
        # Usable at the phone's width: nothing wider than the screen (no sideways scrolling).
        overflow = self.driver.execute_script(
            "return document.documentElement.scrollWidth - window.innerWidth;")
        if overflow > 1:
            self.shot("FAILED-too-wide")
            raise FlowFailure(f"[{self.label}] {self.driver.current_url} is {overflow}px wider than the screen")

    def check_labels(self):
        # Every field a person fills in has a label naming it (WCAG 2.2 SC 1.3.1, 3.3.2).
        unlabelled = self.driver.execute_script("""
            return Array.from(document.querySelectorAll('input:not([type=hidden])'))
                .filter(function (input) { return !(input.labels && input.labels.length); })
                .map(function (input) { return input.name; });""")
        if unlabelled:
            self.shot("FAILED-unlabelled")
            raise FlowFailure(f"[{self.label}] {self.driver.current_url}: fields without a label: {unlabelled}")

    def open(self, path):
        self.driver.get(BASE + path)

    def fill(self, field_id, value):
        element = self.driver.find_element(By.ID, field_id)
        element.clear()
        element.send_keys(value)
        return element

    def navigating(self, action):
        """Runs an action that loads a new page (a link, a form) and waits until it has replaced this one."""
        # A mark on this page's window: gone once another page has loaded.
        self.driver.execute_script("window.portalOldPage = true;")
        action()

        def loaded(driver):
            try:
                return driver.execute_script(
                    "return window.portalOldPage !== true && document.readyState === 'complete';")
            except WebDriverException:
                return False  # between two pages
        WebDriverWait(self.driver, 30).until(loaded)

    def click(self, text):
        for element in self.driver.find_elements(By.CSS_SELECTOR, "button, a"):
            if element.text.strip() == text and element.is_displayed() and element.is_enabled():
                self.navigating(element.click)
                return
        self.shot("FAILED-no-" + re.sub(r"\W+", "-", text))
        raise FlowFailure(f"[{self.label}] {self.driver.current_url}: no button or link {text!r}\n{self.body()}")

    def log_in(self, identifier, password):
        self.open("/masuk")
        self.expect("Masuk", "Email atau nama pengguna", "Kata sandi", name="login")
        self.fill("identitas", identifier)
        # Keyboard only: Enter in the password field submits the form.
        field = self.fill("sandi", password)
        self.navigating(lambda: field.send_keys(Keys.ENTER))

    def log_out(self):
        self.click("Keluar")
        self.expect("Masuk", name="logged-out")

    def code_from_mailbox(self, address):
        self.open("/demo/kotak-surat")
        self.expect("Kotak surat demo", name="mailbox")
        for article in self.driver.find_elements(By.CSS_SELECTOR, "article.mail"):
            if article.get_attribute("data-to") == address:
                match = re.search(r"^\s*(\d{6})\s*$", article.find_element(By.TAG_NAME, "pre").text, re.M)
                if match:
                    self.shot("mailbox")
                    return match.group(1)
        raise FlowFailure(f"[{self.label}] no code for {address} in the demo mailbox\n{self.body()}")

    def verify_own_address(self, address, who):
        """BIODATA -> Akun, VERIFIKASI SEKARANG, check the address, LANJUT, live status, code, SIMPAN."""
        self.open("/akun")
        self.expect("BIODATA → Akun", "belum verifikasi", address, name=f"{who}-account")
        self.shot(f"{who}-account")
        self.click("VERIFIKASI SEKARANG")
        self.expect("Email Aktif", address, "LANJUT", name=f"{who}-check")
        self.shot(f"{who}-check-address")
        self.click("LANJUT")
        masked = address[0] + "•••@" + address.split("@")[1]
        self.expect("Kode Verifikasi", "SIMPAN", "Status kode verifikasi", "Terkirim ke server email", masked,
                    "Kode berlaku sampai", "WIB", "Kode baru boleh diminta", name=f"{who}-code")
        # The live status: the script counts down to when a new code may be asked for, without a reload.
        countdown = self.driver.find_element(By.CSS_SELECTOR, "[data-countdown='newCode']")
        first = countdown.text
        try:
            WebDriverWait(self.driver, 10).until(lambda _: countdown.text != first and ":" in countdown.text)
        except TimeoutException:
            self.shot("FAILED-countdown")
            raise FlowFailure(f"[{self.label}] the countdown did not move (script not running?): {first!r}")
        self.shot(f"{who}-code-page")
        code = self.code_from_mailbox(address)
        self.open("/verifikasi/kode")
        # Keyboard only: Enter in the code field submits it (SIMPAN).
        field = self.fill("kode", code)
        self.navigating(lambda: field.send_keys(Keys.ENTER))
        self.expect("Email terverifikasi", "Terverifikasi", name=f"{who}-verified")
        self.shot(f"{who}-verified")

    def register_ptk(self, name, username, local_part, password):
        self.open("/sekolah/akun")
        self.expect("Akun PTK", "Laporan sekolah", "Tambah akun", name="staff-list")
        self.click("Tambah akun")
        self.expect("Tambah akun PTK", "Nama lengkap", "Email aktif PTK", name="add-form")
        self.fill("nama", name)
        self.fill("pengguna", username)
        self.fill("email", local_part + "@gmial.com")
        self.fill("sandi", password)
        self.click("SIMPAN")
        suggestion = local_part + "@gmail.com"
        self.expect("Alamat ini mungkin salah ketik", suggestion, "tetap pakai", name="typo")
        self.shot("typo-suggestion")
        self.fill("sandi", password)
        self.click("Pakai " + suggestion)
        self.expect("ditambahkan", name, "belum mulai", name="registered")
        self.shot("ptk-registered")
        return suggestion

    def check_console(self):
        # Network entries are the pages' own status codes (422 for a form to correct, by design);
        # anything else (a Content Security Policy violation, a script error) fails the run.
        errors = [entry for entry in self.driver.get_log("browser")
                  if entry.get("level") == "SEVERE" and entry.get("source") != "network"]
        if errors:
            raise FlowFailure(f"[{self.label}] browser console errors: {errors}")

    def close(self):
        self.driver.quit()


def desktop():
    flow = Flow("desktop", 1280, 900, mobile=False)
    try:
        flow.log_in(OPERATOR[0], OPERATOR[1])
        flow.expect("BIODATA → Akun", "Siti Aminah", "SD Negeri 1 Contoh", name="operator-login")
        flow.verify_own_address(OPERATOR[2], "operator")
        address = flow.register_ptk("Budi Santoso", "budi", "budi.santoso", "Guru-Teladan-2026")
        flow.log_out()
        flow.log_in(address, "Guru-Teladan-2026")
        flow.expect("BIODATA → Akun", "Budi Santoso", name="ptk-login")
        flow.verify_own_address(address, "ptk")
        flow.log_out()
        flow.log_in(OPERATOR[0], OPERATOR[1])
        flow.open("/sekolah/akun")
        flow.expect("Laporan sekolah", "Budi Santoso", "terverifikasi", name="report")
        flow.shot("school-report")
        flow.open("/bahasa/en?ke=/sekolah/akun")
        flow.expect("Staff accounts", "School report", "verified", name="english")
        flow.shot("school-report-english")
        flow.open("/bahasa/id?ke=/sekolah/akun")
        flow.check_console()
    finally:
        flow.close()


def phone():
    flow = Flow("phone", 360, 740, mobile=True)
    try:
        flow.open("/masuk")
        width = flow.driver.execute_script("return window.innerWidth;")
        if width != 360:
            raise FlowFailure(f"[phone] the viewport is {width}px wide, not 360")
        flow.log_in(OPERATOR[0], OPERATOR[1])
        flow.expect("Akun PTK", name="operator-login")
        address = flow.register_ptk("Ani Lestari", "ani", "ani.lestari", "Guru-Hebat-2026x")
        flow.log_out()
        flow.log_in("ani", "Guru-Hebat-2026x")
        flow.verify_own_address(address, "ptk")
        flow.check_console()
    finally:
        flow.close()


def main():
    started = time.monotonic()
    desktop()
    phone()
    print(f"browser test: the seed flow passed at 1280 px and 360 px in {time.monotonic() - started:.1f} s; "
          f"screenshots in {SHOTS}")


if __name__ == "__main__":
    try:
        main()
    except FlowFailure as failure:
        print(f"BROWSER TEST FAILED: {failure}", file=sys.stderr)
        sys.exit(1)
