"""Disclosure control of aggregate statistics before they leave the node."""
