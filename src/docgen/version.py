"""docgen's version, in a module of its own: every part that stamps it (manifests, OFD, cluster checks)
imports it without importing the package's front doors (``docgen.render``/``docgen.batch``)."""

__version__ = "0.1.0"
