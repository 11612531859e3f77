"""Static analysis building blocks shared by CQ-03 (static analysis), CQ-04 (input
validation) and CQ-05 (safe execution patterns): Bandit in-process, JS/TS rules on
tree-sitter trees, name resolution through aliases, and inline suppressions."""
