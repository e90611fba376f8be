"""Forms and widgets of the editors' admin: locking, safe inline deletes, Markdown help."""

from django import forms
from django.core.exceptions import ValidationError
from django.forms.models import BaseInlineFormSet
from django.urls import reverse
from django.utils.text import get_text_list

from core.markdown import render_markdown

from .locking import OptimisticLockMixin
from .references import m2m_references


class TextWithUnixLineEnds(forms.CharField):
    """Browsers submit textareas with CRLF line ends. Stored as LF, an unchanged text stays
    unchanged (form.has_changed) and the history compares only what an editor really wrote."""

    def to_python(self, value):
        value = super().to_python(value)
        return value.replace("\r\n", "\n").replace("\r", "\n") if value else value


class EditorialModelForm(OptimisticLockMixin, forms.ModelForm):
    """Base form of every editors' admin form and inline form (optimistic lock)."""


class EditorialInlineFormSet(BaseInlineFormSet):
    """Refuses to delete an inline row while other content still links to it.

    Example: a milestone of a phase that criteria support. (Django ignores the errors of
    forms marked for deletion, so the check belongs to the formset.)
    """

    def clean(self):
        super().clean()
        for form in self.forms:
            if not (self.can_delete and self._should_delete_form(form)) or form.instance.pk is None:
                continue
            references = m2m_references(form.instance)
            if references:
                raise ValidationError(
                    "„%(entry)s“ kann nicht gelöscht werden, weil noch darauf verwiesen wird: "
                    "%(references)s. Entfernen Sie zuerst diese Verweise.",
                    code="still_referenced",
                    params={
                        "entry": form.instance,
                        "references": get_text_list([str(r) for r in references], "und"),
                    },
                )


class MarkdownTextarea(forms.Textarea):
    """A textarea with a short syntax help and the sanitized rendering below it.

    The rendering of the current text is part of the page, so it works without JavaScript;
    admin-markdown-preview.js refreshes it from the server on request (never rendered in the
    browser, so the preview shows exactly what the allow-list lets through).
    """

    template_name = "editorial/widgets/markdown_textarea.html"  # in editorial/templates/

    class Media:
        css = {"all": ["css/admin.css"]}
        js = ["js/admin-markdown-preview.js"]

    def __init__(self, attrs=None):
        super().__init__({"rows": 12, **(attrs or {})})

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        context["preview_html"] = render_markdown(value) if value else ""
        context["preview_url"] = reverse("admin:markdown_preview")
        return context
