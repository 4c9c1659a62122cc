// The mail module: message model, rendering, templates and transports.
