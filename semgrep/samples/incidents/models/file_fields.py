# A sample that ysi-no-file-fields must flag (ruleid) and must not flag (ok).
from django import forms
from django.db import models
from django.db.models import ImageField


class Evidence(models.Model):
    # ruleid: ysi-no-file-fields
    screenshot = models.ImageField(upload_to="evidence/")
    # ruleid: ysi-no-file-fields
    attachment = models.FileField(upload_to="evidence/")
    # ruleid: ysi-no-file-fields
    photo = ImageField()
    # ok: ysi-no-file-fields
    description = models.TextField()


class EvidenceForm(forms.Form):
    # ruleid: ysi-no-file-fields
    upload = forms.FileField()
