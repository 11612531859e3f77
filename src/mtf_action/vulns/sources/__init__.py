"""Where advisories come from, behind one interface (:class:`AdvisorySource`).

* :mod:`.osv_api`: the OSV batch query API (online default);
* :mod:`.pypi`: PyPI's JSON API through pip-audit's ``PyPIService`` (Python
  components; the others go to the OSV API);
* :mod:`.local_db`: a directory or zip of OSV JSON/YAML records (offline).
"""

from mtf_action.vulns.sources.base import AdvisorySource, SourceAnswer

__all__ = ["AdvisorySource", "SourceAnswer"]
