Error: Unknown option before the command name: --bogus.
See 'dapodik-verify --help'.
