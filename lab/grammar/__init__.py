"""The one IOS grammar engine, the configuration modes (prompts) and their command rows."""
