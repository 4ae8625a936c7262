"""SSH transport: one asyncssh listener per device."""
