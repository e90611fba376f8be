from django import template

from ..documents.models import Vorlage

register = template.Library()


@register.filter
def field_input(field, css_class="kern-form-input__input"):
    """The field's widget with KERN's class; on error also linked to its message."""
    attrs = {"class": css_class}
    if field.errors:
        attrs["class"] += f" {css_class}--error"
        attrs["aria-describedby"] = f"{field.auto_id}-fehler"
    return field.as_widget(attrs=attrs)


@register.inclusion_tag("selfcheck/includes/vorlagen_links.html")
def vorlagen_links(obj):
    """Published templates linked to a phase or criterion (``obj.vorlagen``), one query."""
    vorlagen = Vorlage.objects.published().filter(pk__in=obj.vorlagen.values("pk"))
    return {"vorlagen": list(vorlagen.only("slug", "title", "purpose"))}
