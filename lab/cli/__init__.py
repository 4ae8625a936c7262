"""The IOS CLI session: modes, prompts, echo, exec command rows and their handlers."""
