"""One function per use case: load, apply the rules, write. Never commits, never prints."""
