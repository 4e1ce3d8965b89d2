"""Test doubles that users can run too: a fake Messages API on loopback."""
