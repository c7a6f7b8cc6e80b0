"""Serving: the ``fasearch`` command and the search page.

:mod:`.commands` picks a subcommand (``index``, ``search``, ``serve``,
``list``); :mod:`.index_command` and :mod:`.search_command` are those
commands, run as well by the project folder's ``indexer.py`` and
``search.py``; :mod:`.cli` gives them one-line errors, exit statuses and
hints in the user's own words; :mod:`.output` writes results as text or
JSON; :mod:`.web` is the page.
"""
