from django.db import models


class Submission(models.Model):
    name = models.CharField(max_length=200)
    email = models.EmailField(db_index=True)
    country = models.CharField(max_length=2)
    postcode = models.CharField(max_length=16, blank=True)
    subject = models.CharField(max_length=200)
    body = models.TextField()
    consent = models.BooleanField()
    referral = models.CharField(max_length=32, blank=True)
    ip = models.GenericIPAddressField(null=True)
    created_at = models.DateTimeField(auto_now_add=True)


class OutboxTask(models.Model):
    """A queued task (here: send the confirmation email), written in the same transaction."""

    name = models.CharField(max_length=100)
    payload = models.JSONField()
    status = models.CharField(max_length=10, default="READY", db_index=True)
    enqueued_at = models.DateTimeField(auto_now_add=True)
