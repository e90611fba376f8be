"""The editors' tools have no models of their own. This module exists so that Django sends
this app the ``post_migrate`` signal, after which the editor groups get their current rights
(``editorial.apps``)."""
