"""Secret detection for MTF CQ-01: patterns, placeholder judgement and redaction."""
