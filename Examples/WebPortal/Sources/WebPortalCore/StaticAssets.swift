import HTTPTypes
import Hummingbird
import NIOCore

/// The two static files: the style sheet and the status script. Served as files (not inline) so
/// the Content-Security-Policy allows no inline script or style at all.
enum StaticAssets {
    /// Mobile first: one column up to 360 px, readable without zoom; big touch targets; visible focus.
    static let styleSheet = """
        *{box-sizing:border-box}
        body{margin:0;font:16px/1.5 system-ui,sans-serif;color:#1b1b1b;background:#f6f7f9}
        header{background:#0b4f8a;color:#fff;padding:.5rem 1rem;display:flex;flex-wrap:wrap;gap:.5rem;align-items:center}
        header a,header .link{color:#fff}
        .brand{font-weight:700;margin:0;flex:1 1 100%}
        nav ul{list-style:none;margin:0;padding:0;display:flex;flex-wrap:wrap;gap:.25rem 1rem}
        .language{margin:0}
        main{max-width:48rem;margin:0 auto;padding:1rem}
        h1{font-size:1.4rem;margin:.5rem 0 1rem}
        h2{font-size:1.15rem}
        label{display:block;font-weight:600;margin:.75rem 0 .25rem}
        label.check{font-weight:400;display:flex;gap:.5rem;align-items:flex-start}
        input[type=text],input[type=email],input[type=password]{width:100%;padding:.6rem;font-size:1rem;border:1px solid #767676;border-radius:4px}
        button,.button{display:inline-block;min-height:44px;padding:.6rem 1.2rem;margin:.75rem .5rem 0 0;font-size:1rem;font-weight:700;border:0;border-radius:4px;background:#0b4f8a;color:#fff;text-decoration:none;cursor:pointer}
        button.secondary,.button.secondary{background:#fff;color:#0b4f8a;border:2px solid #0b4f8a}
        button.link{background:none;border:0;padding:0;margin:0;min-height:0;font-weight:400;text-decoration:underline}
        a:focus,button:focus,input:focus{outline:3px solid #f5a300;outline-offset:2px}
        .skip{position:absolute;left:-999px}
        .skip:focus{left:1rem;top:1rem;background:#fff;color:#000;padding:.5rem;z-index:1}
        .error{background:#fde8e8;border-left:4px solid #b3261e;padding:.5rem .75rem}
        .notice{background:#e6f4ea;border-left:4px solid #1e7d34;padding:.5rem .75rem}
        .hint{color:#444;font-size:.95rem}
        dl{display:grid;grid-template-columns:minmax(8rem,auto) 1fr;gap:.25rem 1rem;background:#fff;padding:1rem;border-radius:4px}
        dt{font-weight:600}dd{margin:0;overflow-wrap:anywhere}
        @media (max-width:480px){dl{grid-template-columns:1fr}dd{margin-bottom:.5rem}}
        .badge{display:inline-block;padding:.1rem .5rem;border-radius:1rem;font-size:.9rem;font-weight:700}
        .verified{background:#e6f4ea;color:#135a25}.pending{background:#fff4d6;color:#6a4a00}
        .never{background:#eceff1;color:#37474f}.undeliverable{background:#fde8e8;color:#8c1d18}
        table{width:100%;border-collapse:collapse;background:#fff}
        th,td{text-align:left;padding:.5rem;border-bottom:1px solid #ddd;vertical-align:top;overflow-wrap:anywhere}
        @media (max-width:600px){table,thead,tbody,tr,th,td{display:block}thead{position:absolute;left:-999px}tr{border-bottom:2px solid #ccc;padding:.5rem 0}td{border:0;padding:.15rem .5rem}td::before{content:attr(data-label) ": ";font-weight:600}}
        fieldset{border:1px solid #bbb;border-radius:4px;margin:1rem 0;padding:.5rem 1rem}
        pre{white-space:pre-wrap;overflow-wrap:anywhere;background:#fff;padding:.75rem;border:1px solid #ddd}
        .mail{background:#fff;border:1px solid #ddd;border-radius:4px;padding:.5rem 1rem;margin:1rem 0}
        """

    /// Polls the status endpoint and updates the code page without reloading it (a row whose field
    /// the status leaves out is hidden, and shown again once it has a value); counts down to
    /// when a new code may be asked for and to the code's expiry. It only writes `textContent`, so
    /// nothing it receives can become markup. The page works without it (every value is rendered
    /// by the server; "Perbarui" reloads).
    static let statusScript = """
        (function () {
          "use strict";
          var panel = document.getElementById("status");
          if (!panel) { return; }
          var url = panel.getAttribute("data-status-url");
          var language = document.documentElement.lang;
          var deadlines = {};
          function format(seconds) {
            if (seconds <= 0) { return language === "en" ? "now" : "sekarang"; }
            var m = Math.floor(seconds / 60), s = seconds % 60;
            return m + ":" + (s < 10 ? "0" : "") + s;
          }
          function tick() {
            var now = Date.now();
            Object.keys(deadlines).forEach(function (field) {
              var node = panel.querySelector("[data-countdown='" + field + "']");
              if (!node) { return; }
              var at = deadlines[field];
              node.textContent = at ? format(Math.max(0, Math.round((at - now) / 1000))) : "–";
            });
          }
          function apply(status) {
            // A field the status leaves out has nothing to show now: its row (label and value) hides.
            Array.prototype.forEach.call(panel.querySelectorAll("[data-field]"), function (node) {
              var value = status.fields[node.getAttribute("data-field")];
              var shown = typeof value === "string";
              node.textContent = shown ? value : "";
              node.hidden = !shown;
              if (node.previousElementSibling) { node.previousElementSibling.hidden = !shown; }
            });
            deadlines.newCode = status.newCodeAllowedAtMillis;
            deadlines.expiry = status.codeExpiresAtMillis;
            var resend = document.getElementById("minta-kode-baru");
            if (resend) { resend.disabled = !status.mayRequestNewCode; }
            if (status.isVerified) { window.location.assign("/verifikasi/kode"); }
            tick();
          }
          function poll() {
            fetch(url, { credentials: "same-origin", headers: { "Accept": "application/json" } })
              .then(function (response) {
                // The session ended (a password changed elsewhere): the login page says why.
                if (response.status === 401) { window.location.assign("/masuk"); return null; }
                return response.ok ? response.json() : null;
              })
              .then(function (status) { if (status) { apply(status); } })
              .catch(function () {});
          }
          ["newCode", "expiry"].forEach(function (field) {
            var node = panel.querySelector("[data-countdown='" + field + "']");
            var at = node && Number(node.getAttribute("data-at"));
            deadlines[field] = at || null;
          });
          tick();
          setInterval(tick, 1000);
          setInterval(poll, 3000);
        })();
        """

    /// Adds `GET /static/portal.css`, `GET /static/status.js`, and an empty `/favicon.ico`.
    static func addRoutes(to router: Router<BasicRequestContext>) {
        router.get("/favicon.ico") { _, _ in Response(status: .noContent) }
        router.get("/static/portal.css") { _, _ in
            Response(
                status: .ok,
                headers: [.contentType: "text/css; charset=utf-8", .cacheControl: "max-age=3600"],
                body: .init(byteBuffer: ByteBuffer(string: styleSheet)))
        }
        router.get("/static/status.js") { _, _ in
            Response(
                status: .ok,
                headers: [.contentType: "text/javascript; charset=utf-8", .cacheControl: "max-age=3600"],
                body: .init(byteBuffer: ByteBuffer(string: statusScript)))
        }
    }
}
