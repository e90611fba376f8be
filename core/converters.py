"""Path converters that let only well-formed values reach a view; anything else is a 404
before any database work."""

from django.urls import register_converter


def register_pattern_converter(name, regex):
    """Registers ``<name:…>`` for URL parts that match ``regex``, passed through unchanged."""

    class PatternConverter:
        def to_python(self, value):
            return value

        def to_url(self, value):
            return value

    PatternConverter.regex = regex
    PatternConverter.__name__ = f"{name}_converter"
    register_converter(PatternConverter, name)
