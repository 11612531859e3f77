"""The GitHub REST API as the release flow uses it, through PyGithub.

``client`` builds the PyGithub client and retries transient faults; ``releases``
creates drafts, uploads assets idempotently and publishes; ``comments`` keeps one
sticky pull-request comment; ``attestations`` stores Sigstore bundles with GitHub's
artifact attestations API; ``download`` fetches a release's assets and checks them.
"""
