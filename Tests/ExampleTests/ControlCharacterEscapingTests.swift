import Testing

@testable import dapodik_verify

/// `String.escapingControlCharacters`, the form in which every message of `dapodik-verify` shows what
/// it echoes.
@Suite("dapodik-verify's escaping of what a message echoes")
struct ControlCharacterEscapingTests {
    @Test("control characters, line separators and bidirectional controls are escaped; a backslash is doubled")
    func escapes() {
        #expect(
            "/srv/a\nb\r\t\u{1B}[2J\u{7F}\u{85}".escapingControlCharacters == #"/srv/a\nb\r\t\u{1B}[2J\u{7F}\u{85}"#)
        #expect("a\u{2028}b\u{2029}c".escapingControlCharacters == #"a\u{2028}b\u{2029}c"#)
        #expect("gpj.\u{202E}exe.rusak".escapingControlCharacters == #"gpj.\u{202E}exe.rusak"#)
        #expect("\u{2066}\u{200F}x\u{2069}".escapingControlCharacters == #"\u{2066}\u{200F}x\u{2069}"#)
        // A path holding a backslash and an n does not read as one holding a line break.
        #expect(#"/srv/a\nb"#.escapingControlCharacters == #"/srv/a\\nb"#)
        #expect("/srv/a\nb".escapingControlCharacters != #"/srv/a\nb"#.escapingControlCharacters)
    }

    @Test("everything else is shown as it is: letters of any script, emoji with joiners, spaces")
    func keepsText() {
        for text in ["/srv/dapodik data/Sekolah Ü", "محمد", "👩‍🏫 guru", "名前", ""] {
            #expect(text.escapingControlCharacters == text)
        }
    }
}
