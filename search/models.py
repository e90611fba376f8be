"""The search has no models of its own. This module exists so that Django sends this app the
``post_migrate`` signal, after which ``search.index`` fills missing search vectors."""
