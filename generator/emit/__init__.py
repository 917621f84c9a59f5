"""Stage 4, the files: render the IR with the templates, format with black, write or compare.

``render`` (Jinja, with every escaping rule in ``filters``) → ``format``
(black, piece by piece: ``chunks``) → ``output`` (atomic writes or a diff).
"""
