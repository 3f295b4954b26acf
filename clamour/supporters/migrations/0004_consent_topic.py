from django.db import migrations, models


def topics_of_earlier_answers(apps, schema_editor):
    """Give each earlier answer the topic it was about, where its source says: an
    action's consent question is about that campaign, a treaty's about its alerts, and
    the account page's boxes are named by their label."""
    Consent = apps.get_model("supporters", "Consent")
    Action = apps.get_model("actions", "Action")
    slugs = dict(Action.objects.values_list("pk", "campaign__slug"))
    for consent in Consent.objects.filter(topic="").iterator():
        topic = ""
        if consent.source.startswith("action:"):
            number = consent.source.split(":", 1)[1]
            if number.isdigit() and int(number) in slugs:
                topic = f"campaign:{slugs[int(number)]}"
        elif consent.source.startswith("treaty:"):
            topic = consent.source
        elif consent.source == "account:email-preferences":
            if consent.wording.startswith("Campaign emails from us"):
                topic = "all"
            elif consent.wording == "Replies to my comments":
                topic = "comment-replies"
        if topic:
            Consent.objects.filter(pk=consent.pk).update(topic=topic)


class Migration(migrations.Migration):

    dependencies = [
        ("supporters", "0003_accounts_and_privacy"),
        ("actions", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="consent",
            name="topic",
            field=models.CharField(
                blank=True,
                help_text='The emails this answer is about ("campaign:<slug>", "treaty:<slug>", "all"); the latest answer per topic decides.',
                max_length=100,
                verbose_name="topic",
            ),
        ),
        migrations.RunPython(topics_of_earlier_answers, migrations.RunPython.noop),
    ]
