"""What the server's code does, found statically (MTF CD-01 and CD-02).

CD-01 needs the tools the code registers, CD-02 the capabilities it exercises
(network, filesystem, environment, subprocess, native code) and *when* it
exercises them: at initialization (module level, import, start-up code and
everything reachable from it) or at runtime (inside tool handlers). Both are
computed once per scan over the server's own Python and JavaScript/TypeScript
code (:mod:`.analysis`); vendored dependencies only count for native code
(compiled binaries in the bundle, :mod:`.native`).
"""
