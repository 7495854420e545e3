"""OnboardingRequest moved to the app `onboarding` ("Ausbildungsbetrieb werden" is a focus area of its own).

State only: the model leaves the offers app's state here and enters the onboarding app's state in
onboarding 0001, which keeps the table `offers_onboardingrequest` (and its rows) as it is.
"""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("offers", "0009_offer_search_table"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name="OnboardingRequest")],
            database_operations=[],
        ),
    ]
