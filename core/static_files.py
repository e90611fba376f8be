"""WhiteNoise without the build's bookkeeping files.

``collectstatic`` with the manifest storage writes ``staticfiles.json`` into STATIC_ROOT: the
list of every static file and its hashed name. It is for the application, not for visitors,
and tells an attacker the exact build, so it is never served.
"""

from whitenoise.middleware import WhiteNoiseMiddleware

HIDDEN_FILE_NAMES = frozenset({"staticfiles.json"})


def is_hidden(url):
    return url.rsplit("/", 1)[-1] in HIDDEN_FILE_NAMES


class StaticFilesMiddleware(WhiteNoiseMiddleware):
    def add_file_to_dictionary(self, url, path, stat_cache=None):
        if not is_hidden(url):
            super().add_file_to_dictionary(url, path, stat_cache=stat_cache)

    def find_file(self, url):
        return None if is_hidden(url) else super().find_file(url)
