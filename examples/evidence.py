"""How practice examples are labelled for readers: documented cases versus scenarios.

The model's choice labels stay as they are (they are data, exported and shown in the admin);
cards, lists, detail pages and the example filter use these shorter reader-facing labels.
"""

from .models import PracticeExample

DOCUMENTED_LABEL = "Dokumentiert"
SCENARIO_LABEL = "Szenario (veranschaulichend)"

FILTER_CHOICES = (
    (PracticeExample.Evidence.DOCUMENTED, DOCUMENTED_LABEL),
    (PracticeExample.Evidence.ILLUSTRATIVE, SCENARIO_LABEL),
)
