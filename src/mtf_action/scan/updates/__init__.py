"""Comparing a release with the previous one for MTF UP-02 (breaking changes) and UP-04
(version monotonicity), and producing the change set a consumer consents to (UP-01).

- :mod:`.previous`: reading ``--previous PATH`` (manifest.json, server directory or .mcpb);
- :mod:`.versions`: SemVer 2.0.0 precedence and the kind of version bump;
- :mod:`.diff`: tools, parameters, permissions, OAuth scopes and launch command, old vs new.
"""
