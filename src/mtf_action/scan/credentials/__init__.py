"""Credential analyses for MTF CD-04 (credential scopes) and CD-05 (token lifetime).

- :mod:`.catalog` / :mod:`.scopes`: the OAuth scope risk classification shipped as data
  (``mtf_action/data/oauth_scopes.json``) and how a declared scope is classified;
- :mod:`.declared`: the ``credentials`` the manifest declares, read defensively;
- :mod:`.justification`: what counts as a justification;
- :mod:`.oauth_python` / :mod:`.oauth_js` / :mod:`.signals`: OAuth flows in server code;
- :mod:`.token_store`: tokens persisted to files or the OS keychain by server code;
- :mod:`.code`: one pass over the server code for both controls, cached per scan.
"""
