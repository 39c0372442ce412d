"""Presidio recognizers for the node's entity types, per language."""
