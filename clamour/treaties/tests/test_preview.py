"""The analyst's import preview: how a draft was read, with warnings, before
anything is stored; the structure can be corrected, then stored."""

from __future__ import annotations

from django.core.files.uploadedfile import SimpleUploadedFile

from clamour.testing.formats import to_un_pdf
from clamour.testing.treaties import FINAL, make_treaty, nothing_stored
from clamour.testing.treaties import preview_hidden as _hidden
from clamour.testing.treaties import preview_post as _post
from clamour.testing.treaties import preview_structure as _structure
from clamour.treaties.models import Draft


def test_preview_shows_the_structure_and_warnings_and_stores_nothing(analyst_client, _media_in_tmp):
    treaty = make_treaty()
    pdf = to_un_pdf(FINAL)
    response = _post(analyst_client, treaty, "preview", file=SimpleUploadedFile("L3.pdf", pdf))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Nothing has been stored yet." in page
    assert "Preview of L3.pdf: 107 provisions in 28 articles" in page
    assert "repeats on 11 pages and was removed as a header or footer" in page
    assert "A/CONF.217/2013/L.3" in page
    assert "<code>7.1</code>" in page and "Article 7 \u2014 Export and Export Assessment" in page
    assert nothing_stored(_media_in_tmp)
    token = _hidden(page, "preview_token")
    structure = _structure(page)
    assert token and structure.startswith("# The Arms Trade Treaty")

    # The analyst corrects the structure (joins 7.6 and 7.7) and stores the previewed file.
    fixed = structure.replace("\n\n7. If, after an authorization", " If, after an authorization")
    assert fixed != structure
    response = _post(analyst_client, treaty, "store", preview_token=token, structure=fixed)
    assert response.status_code == 302, response.content.decode()[:3000]
    draft = Draft.objects.get()
    assert draft.source_kind == "pdf" and draft.source_name == "L3.pdf"
    pids = list(draft.provisions.values_list("pid", flat=True))
    assert "7.6" in pids and "7.7" not in pids and len(pids) == 106
    assert "If, after an authorization" in draft.provisions.get(pid="7.6").text
    # The kept file was used once and is gone.
    response = _post(analyst_client, treaty, "store", preview_token=token, label="Again")
    assert response.status_code == 400 and "The preview has expired" in response.content.decode()


def test_a_preview_token_is_of_no_use_to_another_analyst(analyst_client, client, django_user_model, _media_in_tmp):
    from django.contrib.auth.models import Permission

    from clamour.testing.auth import log_in_staff

    treaty = make_treaty()
    page = _post(
        analyst_client, treaty, "preview", file=SimpleUploadedFile("final.md", FINAL.encode())
    ).content.decode()
    token = _hidden(page, "preview_token")
    assert token
    other = django_user_model.objects.create_user("other", "other@example.org", "another long password 4", is_staff=True)
    other.user_permissions.set(Permission.objects.filter(content_type__app_label="treaties"))
    other_client = log_in_staff(client.__class__(), other)
    response = _post(other_client, treaty, "store", preview_token=token)
    assert response.status_code == 400 and "The preview has expired" in response.content.decode()
    assert nothing_stored(_media_in_tmp)


def test_a_broken_structure_gets_a_message_and_nothing_is_stored(analyst_client, _media_in_tmp):
    treaty = make_treaty()
    page = _post(analyst_client, treaty, "preview", text=FINAL).content.decode()
    assert "Preview of the pasted text: 107 provisions" in page
    response = _post(analyst_client, treaty, "store", text=FINAL, structure="Only a shopping list")
    assert response.status_code == 400
    assert "We could not read this structure" in response.content.decode()
    assert nothing_stored(_media_in_tmp)


def test_without_preview_an_upload_is_stored_directly(analyst_client, _media_in_tmp):
    treaty = make_treaty()
    response = _post(analyst_client, treaty, "store", file=SimpleUploadedFile("final.md", FINAL.encode()))
    assert response.status_code == 302
    assert Draft.objects.get().provisions.count() == 107
