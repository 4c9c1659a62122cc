import DapodikVerification
import Testing

@testable import dapodik_verify

@Suite("argument parser")
struct ArgumentParserTests {
    static let email = Option<String>("email", "email", "e", "e")
    static let json = Flag("json", "j", "j")
    static let who = RequiredOption<String>("as", "who", "a", "a")
    static let options = [email.spec, json.spec, who.spec]
    static let arguments = [Argument("code", "c", "c"), Argument("extra", "x", "x")]

    func parse(_ tokens: [String]) throws(CLIError) -> ParsedArguments {
        try ArgumentParser.parse(tokens, options: Self.options, arguments: Self.arguments, commandPath: ["t"])
    }

    @Test("--name value and --name=value give the same value")
    func bothSpellings() throws {
        let separate = try parse(["--as", "budi", "--email", "a@b.id", "123", "4"])
        let joined = try parse(["--as=budi", "--email=a@b.id", "123", "4"])
        #expect(try Self.email.value(in: separate) == "a@b.id")
        #expect(try Self.who.value(in: joined) == "budi")
        #expect(separate.values == joined.values)
        #expect(separate.positionals == ["123", "4"])
    }

    @Test("a value may contain = and may start with a dash when it follows its option")
    func awkwardValues() throws {
        let parsed = try parse(["--as", "-weird", "--email=a=b", "1", "2"])
        #expect(try Self.who.value(in: parsed) == "-weird")
        #expect(try Self.email.value(in: parsed) == "a=b")
    }

    @Test("-- ends the options; a lone - is an argument")
    func terminator() throws {
        let parsed = try parse(["--as", "x", "--", "--json", "-"])
        #expect(parsed.positionals == ["--json", "-"])
        #expect(!parsed.flags.contains(Self.json.spec.name))
    }

    @Test("--help wins over missing required options and arguments")
    func helpWins() throws {
        #expect(try parse(["--help"]).wantsHelp)
        #expect(try parse(["--email", "x", "-h"]).wantsHelp)
    }

    @Test(
        "each mistake is a usage error with its own code",
        arguments: [
            (["--as"], CLIError.Code.missingValue),
            (["--as", "x", "--bogus", "1", "2"], .unknownOption),
            (["--as", "x", "--json=1", "1", "2"], .unexpectedValue),
            (["--as", "x", "--json", "--json", "1", "2"], .repeatedOption),
            (["--as", "x", "--as", "y", "1", "2"], .repeatedOption),
            (["1", "2"], .missingOption),
            (["--as", "x", "1"], .missingArgument),
            (["--as", "x", "1", "2", "3"], .unexpectedArgument),
            (["--as", "x", "-j", "1", "2"], .unknownOption),
            (["--as", "x", "--help=1", "1", "2"], .unexpectedValue),
        ])
    func mistakes(tokens: [String], code: CLIError.Code) {
        #expect {
            try parse(tokens)
        } throws: { error in
            guard let error = error as? CLIError else { return false }
            return error.code == code && error.status == .usage && error.helpCommand == ["t"]
        }
    }

    @Test("typos of option names get a suggestion; unrelated names do not")
    func suggestions() {
        #expect(ArgumentParser.closestName(to: "emial", among: ["email", "json"]) == "email")
        #expect(ArgumentParser.closestName(to: "jsno", among: ["email", "json"]) == "json")
        #expect(ArgumentParser.closestName(to: "verbose", among: ["email", "json"]) == nil)
        #expect(ArgumentParser.editDistance("kitten", "sitting") == 3)
    }

    @Test("global options are accepted before the command name")
    func globalsFirst() throws {
        let resolution = try CommandLineInterface.resolve(
            ["--lang", "en", "--data=/tmp/x", "ptk", "status", "--as", "budi", "--json"], root: CommandTree.root,
            environment: [:])
        guard case .run(let path, let invocation) = resolution else {
            Issue.record("expected a command to run")
            return
        }
        #expect(path.map(\.name) == ["dapodik-verify", "ptk", "status"])
        #expect(invocation.globals.language == .english)
        #expect(invocation.globals.dataDirectory == "/tmp/x")
        #expect(invocation.globals.json)
        #expect(try invocation.value(CommonOptions.asPTK) == "budi")
    }

    @Test("the data directory comes from --data, else DAPODIK_DATA, else ./.dapodik-data")
    func dataDirectory() throws {
        func data(_ tokens: [String], _ environment: [String: String]) throws -> String {
            guard
                case .run(_, let invocation) = try CommandLineInterface.resolve(
                    tokens + ["feed"], root: CommandTree.root, environment: environment)
            else { return "" }
            return invocation.globals.dataDirectory
        }
        #expect(try data([], [:]) == ".dapodik-data")
        #expect(try data([], ["DAPODIK_DATA": "/srv/d"]) == "/srv/d")
        #expect(try data(["--data", "/x"], ["DAPODIK_DATA": "/srv/d"]) == "/x")
    }
}
