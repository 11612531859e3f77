"""JavaScript / TypeScript support for the code-quality controls (CQ-02..CQ-05)."""
