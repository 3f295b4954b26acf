from django import forms

COUNTRIES = [
    (c, c)
    for c in (
        "AR AT AU BE BR CA CH CL CO CZ DE DK EG ES FI FR GB GH GR HU IE IL IN IT JP KE KR MA "
        "MX NG NL NO NZ PE PH PK PL PT RO SE SG TN TR UA US ZA"
    ).split()
]


class LetterForm(forms.Form):
    name = forms.CharField(max_length=200)
    email = forms.EmailField()
    country = forms.ChoiceField(choices=COUNTRIES)
    postcode = forms.CharField(max_length=16, required=False)
    subject = forms.CharField(max_length=200)
    body = forms.CharField(widget=forms.Textarea, min_length=20, max_length=20000)
    consent = forms.BooleanField()
    referral = forms.CharField(widget=forms.HiddenInput, max_length=32, required=False)
