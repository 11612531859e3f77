"""The GitHub Action (``uses: mtf/attest@v1``): a thin adapter over the library.

The container's entrypoint (:mod:`.main`) reads the inputs exactly as GitHub
passes them to a Docker action (:mod:`.inputs`), decides the mode from the event
(:mod:`.event`), calls ``attest``/``scan``/``verify`` and the GitHub API layer
(:mod:`.github_calls`), and reports through workflow commands and the output and
summary files (:mod:`.outputs`). Nothing here re-implements the library.
"""
