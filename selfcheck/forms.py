from django import forms

from .models import NOTE_MAX_LENGTH


class PhaseEntriesForm(forms.Form):
    """Ticks and notes for every item of one phase: ``<key>-erledigt`` and ``<key>-notiz``."""

    def __init__(self, items, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.items = items
        for item in items:
            self.fields[f"{item.key}-erledigt"] = forms.BooleanField(required=False)
            self.fields[f"{item.key}-notiz"] = forms.CharField(
                required=False,
                max_length=NOTE_MAX_LENGTH,
                error_messages={
                    "max_length": f"Die Notiz zu „{item.title}“ ist zu lang: "
                    f"Bitte kürzen Sie sie auf höchstens {NOTE_MAX_LENGTH} Zeichen."
                },
            )

    def values(self):
        """{item key: (done, note)} from valid data."""
        data = self.cleaned_data
        return {
            item.key: (data[f"{item.key}-erledigt"], data[f"{item.key}-notiz"])
            for item in self.items
        }

    def show_on_items(self):
        """Put the submitted (invalid) input and its errors back onto the items for display."""
        for item in self.items:
            item.done = bool(self[f"{item.key}-erledigt"].value())
            item.note = self.data.get(f"{item.key}-notiz", "")
            item.error = " ".join(self.errors.get(f"{item.key}-notiz", []))
        return [item for item in self.items if item.error]
