"""Data files shipped with the recognizers (name lists); see README.md for sources and licences."""
