"""Security helpers that need no UI: password hashing for the built-in sign-in."""
