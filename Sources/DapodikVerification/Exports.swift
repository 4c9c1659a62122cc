// The umbrella: `import DapodikVerification` brings every public module.
@_exported public import DapodikAccounts
@_exported public import DapodikCodes
@_exported public import DapodikLanguage
@_exported public import DapodikMail
@_exported public import DapodikStorage
