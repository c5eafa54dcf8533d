"""Imported by the forkserver that starts :mod:`kg.parallel`'s workers (``multiprocessing``'s
``set_forkserver_preload``): the packaged gazetteer is loaded and the rule tables compiled once
there, and each worker forked from it starts with them, as one process keeps them from one run to
the next. (Each worker built its own before: 0.18 s of CPU apiece, paid again by every pool.)"""

from kg.extract import Extractor

Extractor()
