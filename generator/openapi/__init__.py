"""Stage 1, the spec: read the file, bundle its refs, validate it and normalise it for the later stages.

``load`` → ``bundle`` → ``validate`` → ``normalize``; ``toolkit`` is how every
stage reads the untyped document, and ``media`` how it classifies bodies.
"""
