"""Package-name analyses for MTF RG-02 (Name Pattern Review), publisher side.

- :mod:`.catalog`: the shipped popular-name and service lists (``mtf_action/data``);
- :mod:`.forms`: a package name's scope, bare name and comparable forms;
- :mod:`.lookalike`: invisible characters, homoglyphs and mixed scripts (UTS #39);
- :mod:`.similarity`: Levenshtein neighbours among popular names and organisation scopes;
- :mod:`.patterns`: version-like suffixes, generic and framework compounds,
  service-name compounds and affiliation disclaimers.
"""
