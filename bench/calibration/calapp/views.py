from django.db import transaction
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import render

from .forms import LetterForm
from .models import OutboxTask, Submission


class SeeOther(HttpResponseRedirect):
    status_code = 303


def trivial(request):
    return HttpResponse(b"ok", content_type="text/plain")


def letter(request):
    form = LetterForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        ip = request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")[0].strip() or None
        with transaction.atomic():
            sub = Submission.objects.create(ip=ip, **data)
            OutboxTask.objects.create(
                name="send_confirmation_email",
                payload={"submission_id": sub.pk, "email": sub.email},
            )
        return SeeOther("/letter/thanks/")
    return render(request, "calapp/letter.html", {"form": form})


def thanks(request):
    return HttpResponse(b"<!doctype html><p>Thank you, your letter is on its way.</p>")
