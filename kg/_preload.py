"""Imported by the forkserver that starts :mod:`kg.parallel`'s workers (``multiprocessing``'s
``set_forkserver_preload``): the packaged gazetteer is loaded and the rule tables compiled once
there, and each worker forked from it starts with them, as one process keeps them from one run to
the next. (Each worker built its own before: 0.18 s of CPU apiece, paid again by every pool.)

Ctrl-C reaches the whole process group. While the forkserver loads this it ends at once, without a
traceback (the calling process tells the user it was interrupted). Then it ignores Ctrl-C, as it
does itself once its modules are loaded, and so do the workers it forks from their first
instruction: a worker that died of it while starting would be replaced by the pool, and the new
one would start after the calling process had gone, with a traceback."""

import os
import signal

signal.signal(signal.SIGINT, lambda signum, frame: os._exit(128 + signum))

from kg.extract import Extractor  # noqa: E402  (after the signal: the import is the long part)

Extractor()
signal.signal(signal.SIGINT, signal.SIG_IGN)
