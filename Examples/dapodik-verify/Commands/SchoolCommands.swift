import DapodikVerification
import Foundation

/// `school create` and `school unlock-operator`.
enum SchoolCommands {
    static let unlockOperator: Command.Action = { invocation in
        let npsn: NPSN
        do { npsn = try NPSN(try invocation.arguments.required("npsn")) } catch let error as ValidationError {
            throw Inputs.refusal(error, option: "npsn")
        }
        let context = try await ServiceContext.open(invocation)
        let account = try await context.service.unlockOperatorAsAdministrator(of: npsn)
        invocation.console.say(
            "Akun operator \(account.username.value) (NPSN \(npsn.value)) dibuka kembali; hitungan kata sandi dan "
                + "kode salah dimulai dari nol.",
            "Operator account \(account.username.value) (NPSN \(npsn.value)) unlocked; the counts of wrong passwords "
                + "and codes start again from zero.")
        return .success
    }

    static let create: Command.Action = { invocation in
        let arguments = invocation.arguments
        let console = invocation.console
        let npsn: NPSN
        do { npsn = try NPSN(try arguments.required("npsn")) } catch let error as ValidationError {
            throw Inputs.refusal(error, option: "npsn")
        }
        let zoneText = (arguments.value("time-zone") ?? "WIB").uppercased()
        guard let zone = SchoolTimeZone(rawValue: zoneText) else {
            throw CLIError.invalidValue(
                indonesian: "--time-zone harus WIB, WITA atau WIT.",
                english: "--time-zone must be WIB, WITA or WIT.")
        }
        let school = School(
            npsn: npsn, name: try Inputs.name(try arguments.required("name"), option: "name"), timeZone: zone)
        let email = try Inputs.email(try arguments.required("operator-email"), option: "operator-email")
        let registration = AccountRegistration(
            displayName: try Inputs.name(try arguments.required("operator-name"), option: "operator-name"),
            username: try Inputs.username(
                arguments.value("operator-username"), email: email, option: "operator-username"),
            email: email, password: try Inputs.newPassword(for: email.value, console),
            confirmingUnusualDomain: arguments.has("accept-unusual-domain"))
        let context = try await ServiceContext.open(invocation, creating: true)
        let account = try await context.service.createSchool(school, operator: registration)
        if invocation.globals.json {
            try console.printJSON(StatusPresentation.json(account))
        } else {
            console.say(
                "Sekolah \(school.name.value) (NPSN \(npsn.value), \(zone.abbreviation)) dibuat; operator: "
                    + "\(account.username.value) <\(email.value)>.",
                "School \(school.name.value) (NPSN \(npsn.value), \(zone.abbreviation)) created; operator: "
                    + "\(account.username.value) <\(email.value)>.")
            console.say(
                "Langkah berikutnya: dapodik-verify operator request-code --as \(account.username.value)",
                "Next: dapodik-verify operator request-code --as \(account.username.value)")
        }
        return .success
    }
}
