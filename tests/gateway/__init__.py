"""The gateway: authentication, caps, the admin service, TLS and the console."""
