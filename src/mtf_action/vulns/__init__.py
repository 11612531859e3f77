"""Known-vulnerability matching for SBOM components (MTF SC-02).

Layers, each usable on its own:

* :mod:`.model`: the subset of the OSV schema we read, and the shapes passed
  between the layers (components, advisories, merged vulnerabilities);
* :mod:`.versions` / :mod:`.matching`: OSV range evaluation with each
  ecosystem's ordering (PEP 440 for PyPI, SemVer 2.0.0 for npm);
* :mod:`.sources`: where advisories come from (OSV API, PyPI JSON API through
  pip-audit, a local OSV database), behind one interface, with :mod:`.cache`;
* :mod:`.cvss`, :mod:`.epss`, :mod:`.kev`, :mod:`.vex`: the prioritisation
  inputs, and :mod:`.prioritise` the MTF SC-02 blocking rules;
* :mod:`.audit`: all of the above for a list of components.
"""
