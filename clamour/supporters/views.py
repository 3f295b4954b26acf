from django.shortcuts import render
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from .mail import opt_out, read_unsubscribe_token
from .models import EmailOptOut


@csrf_exempt  # the signed token is the credential; mail clients POST without a form (RFC 8058)
@require_http_methods(["GET", "HEAD", "POST"])
def unsubscribe(request, token):
    """GET shows a button; POST (the button, or a mail client's one-click) unsubscribes."""
    found = read_unsubscribe_token(token)
    if found is None:
        return render(request, "supporters/unsubscribe.html", {"invalid": True}, status=400)
    supporter, topic = found
    if request.method == "POST":
        opt_out(supporter, topic)
        return render(request, "supporters/unsubscribe.html", {"done": True, "topic": topic,
                                                               "everything": topic == EmailOptOut.ALL})
    return render(request, "supporters/unsubscribe.html", {"email": supporter.email, "topic": topic,
                                                           "everything": topic == EmailOptOut.ALL})
