from django import template

register = template.Library()


@register.filter
def field_input(field, css_class="kern-form-input__input"):
    """The field's widget with KERN's class; on error also linked to its message."""
    attrs = {"class": css_class}
    if field.errors:
        attrs["class"] += f" {css_class}--error"
        attrs["aria-describedby"] = f"{field.auto_id}-fehler"
    return field.as_widget(attrs=attrs)
