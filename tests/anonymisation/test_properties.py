"""Any text, any language: findings stay inside the text, never overlap, and everything outside
them is kept unchanged and in order."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

TEXT = st.lists(
    st.sampled_from(list("aZk09 .,:;-/@+()\n\tΑβΓñÑºª'’\"ÉéκΚ€#"))
    | st.sampled_from(["Sra. ", "María López ", "Dhr. Jansen ", "612 345 678 ", "a@b.es "]),
    max_size=60,
).map("".join)


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(text=TEXT, language=st.sampled_from(["en", "es", "nl", "el"]))
def test_text_outside_findings_is_kept_in_order(redactor, text, language):
    result = redactor.redact(text, language)
    cursor = 0
    out_cursor = 0
    for finding in result.findings:
        assert cursor <= finding.start < finding.end <= len(text)
        kept = text[cursor : finding.start]
        position = result.text.find(kept, out_cursor)
        # The first kept segment starts the output; later ones follow a replacement.
        assert position == 0 if cursor == 0 else position >= out_cursor
        out_cursor = position + len(kept)
        cursor = finding.end
    assert result.text.endswith(text[cursor:])
