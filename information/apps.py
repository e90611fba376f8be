from django.apps import AppConfig


class InformationConfig(AppConfig):
    """Start page, introduction, glossary and the information pages (Impressum, …).

    The label stays "roadmap": this app's models and migrations lived in the project package
    before, and keeping the label keeps their tables, content types, permissions and revision
    history exactly as they are in existing databases.
    """

    name = "information"
    label = "roadmap"
    verbose_name = "Seiten und Glossar"
