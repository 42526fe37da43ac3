"""Editing document templates, with validation on save and a PDF preview.

Superusers edit the instance defaults; an agency administrator sees the
defaults (read-only) and adds or edits versions for the agencies where they
hold the ``agency_admin`` role: their version overrides the default there.
"""

from django import forms
from django.contrib import admin
from django.http import Http404, HttpResponse
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from digigov.catalog.admin import administered_agency_ids
from digigov.orgs.models import Agency

from .documents import validate_template
from .models import DocumentTemplate, ResultTemplateChoice
from .sandbox import PARTS, TemplateProblem


class DocumentTemplateForm(forms.ModelForm):
    class Meta:
        model = DocumentTemplate
        fields = ["code", "name", "kind", "agency", "valid_from", "valid_to", "landscape",
                  "procedure_keywords", "number_notation", "title", "body", "signer_authority",
                  "signer_title", "signer_name", "co_signer_title", "co_signer_name",
                  "recipients"]
        widgets = {"body": forms.Textarea(attrs={"rows": 24, "cols": 110,
                                                 "style": "font-family: monospace"}),
                   "title": forms.Textarea(attrs={"rows": 2, "cols": 80}),
                   "recipients": forms.Textarea(attrs={"rows": 3, "cols": 80})}

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user

    def clean(self):
        cleaned = super().clean()
        ids = administered_agency_ids(self.user) if self.user is not None else None
        if ids is not None and (cleaned.get("agency") is None or cleaned["agency"].pk not in ids):
            self.add_error("agency", _("Bạn chỉ sửa được mẫu riêng của cơ quan mình quản trị."))
        parts = {name: cleaned.get(name) or "" for name in PARTS}
        if self.errors:
            return cleaned
        try:
            validate_template(parts, landscape=bool(cleaned.get("landscape")))
        except TemplateProblem as exc:
            for name, messages in exc.fields.items():
                for message in messages:
                    self.add_error(name if name in self.fields else None, message)
            if not exc.fields:
                self.add_error(None, str(exc.message))
        return cleaned


@admin.register(DocumentTemplate)
class DocumentTemplateAdmin(admin.ModelAdmin):
    form = DocumentTemplateForm
    list_display = ["code", "name", "kind", "agency", "valid_from", "valid_to", "preview_link",
                    "copy_link"]
    list_filter = ["kind", "code"]
    search_fields = ["code", "name", "agency__name"]
    fieldsets = [
        (None, {"fields": ["code", "name", "kind", "agency", "valid_from", "valid_to",
                           "landscape", "procedure_keywords"]}),
        (_("Nội dung"), {"fields": ["number_notation", "title", "body"]}),
        (_("Người ký, nơi nhận"), {"fields": ["signer_authority", "signer_title", "signer_name",
                                               "co_signer_title", "co_signer_name",
                                               "recipients"]}),
    ]

    def get_form(self, request, obj=None, change=False, **kwargs):
        form_class = super().get_form(request, obj, change=change, **kwargs)
        user = request.user

        class UserForm(form_class):
            def __init__(self, *args, **kw):
                super().__init__(*args, user=user, **kw)

        return UserForm

    def get_queryset(self, request):
        qs = super().get_queryset(request).select_related("agency")
        ids = administered_agency_ids(request.user)
        if ids is None:
            return qs
        return qs.filter(agency__isnull=True) | qs.filter(agency__in=ids)

    def _editable(self, request, obj) -> bool:
        ids = administered_agency_ids(request.user)
        return obj is None or ids is None or obj.agency_id in ids

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and self._editable(request, obj)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and self._editable(request, obj)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        ids = administered_agency_ids(request.user)
        if db_field.name == "agency" and ids is not None:
            kwargs["queryset"] = Agency.objects.filter(pk__in=ids)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    @admin.display(description=_("Xem trước"))
    def preview_link(self, obj):
        return format_html('<a href="{}" target="_blank">PDF</a>',
                           reverse("admin:pdfs_documenttemplate_preview", args=[obj.pk]))

    @admin.display(description=_("Tạo phiên bản mới"))
    def copy_link(self, obj):
        return format_html('<a href="{}?copy_from={}">{}</a>',
                           reverse("admin:pdfs_documenttemplate_add"), obj.pk,
                           _("Sao chép để sửa"))

    def get_changeform_initial_data(self, request):
        """``?copy_from=<id>``: a new version that starts as a copy of a visible one."""
        initial = super().get_changeform_initial_data(request)
        source_id = request.GET.get("copy_from", "")
        source = (self.get_queryset(request).filter(pk=source_id).first()
                  if source_id.isdigit() else None)
        if source is not None:
            initial.update({name: getattr(source, name) for name in DocumentTemplateForm.Meta.fields
                            if name not in ("agency", "valid_from", "valid_to")})
            ids = administered_agency_ids(request.user)
            if ids:
                initial["agency"] = sorted(ids)[0]
        return initial

    def get_urls(self):
        return [path("<int:pk>/preview/", self.admin_site.admin_view(self.preview),
                     name="pdfs_documenttemplate_preview"), *super().get_urls()]

    def preview(self, request, pk):
        """The saved version rendered on the sample dossier."""
        obj = self.get_queryset(request).filter(pk=pk).first()
        if obj is None or not self.has_view_permission(request, obj):
            raise Http404
        try:
            pdf = validate_template(obj.parts(), landscape=obj.landscape)
        except TemplateProblem as exc:
            return HttpResponse(str(exc.message), status=422, content_type="text/plain")
        response = HttpResponse(pdf, content_type="application/pdf")
        response["Content-Disposition"] = f'inline; filename="{obj.code}-preview.pdf"'
        return response


@admin.register(ResultTemplateChoice)
class ResultTemplateChoiceAdmin(admin.ModelAdmin):
    list_display = ["procedure", "template_code"]
    search_fields = ["procedure__name", "procedure__national_code", "template_code"]
    autocomplete_fields = ["procedure"]

    def has_module_permission(self, request):
        return request.user.is_superuser

    has_view_permission = has_add_permission = has_change_permission = has_delete_permission = \
        lambda self, request, obj=None: request.user.is_superuser
