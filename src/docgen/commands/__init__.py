"""Commands that are not the pipeline's stages: a 范文 turned into a template (``importer``) and a whole
campaign proof-read (``check``: it renders every document through the pipeline, so it sits above it)."""
