"""The GovStack Registration building-block API, mounted at /api/govstack/registration/.

Plain Django views rather than django-ninja: the published contract fixes
every response shape (including errors, as ``systemError``), so the views
render it directly. See docs/govstack.md.
"""

from django.urls import path, re_path

from .http import not_found_view, operations
from .views import applications, catalog, documents, specs, statistics, tasks


class RegistrationAPI:
    """The URL patterns of the API, included like ``NinjaAPI.urls``."""

    namespace = "govstack-registration"

    @property
    def urlpatterns(self) -> list:
        return [
            path("services", operations(get=catalog.list_services), name="services"),
            path("services/<str:service_id>", operations(get=catalog.get_service),
                 name="service"),
            path("services/<str:service_id>/eForms", operations(get=catalog.list_eforms),
                 name="service-eforms"),
            path("services/<str:service_id>/applications",
                 operations(post=applications.submit), name="service-applications"),
            path("eForms/<str:eform_id>", operations(get=catalog.get_eform), name="eform"),
            path("documents", operations(post=documents.upload), name="documents"),
            path("documents/<str:document_id>", operations(get=documents.download),
                 name="document"),
            path("applications", operations(get=applications.list_applications),
                 name="applications"),
            path("applications/<str:file_id>",
                 operations(get=applications.get_application,
                            put=applications.update_application),
                 name="application"),
            path("tasks", operations(get=tasks.list_tasks), name="tasks"),
            path("tasks/<str:task_id>", operations(get=tasks.get_task), name="task"),
            path("tasks/<str:task_id>/complete", operations(post=tasks.complete_task),
                 name="task-complete"),
            path("data/statistics", operations(get=statistics.get_statistics),
                 name="statistics"),
            path("openapi.json", operations(get=specs.registration_spec), name="openapi"),
            path("data/openapi.json", operations(get=specs.statistics_spec),
                 name="statistics-openapi"),
            re_path(r"^.*$", not_found_view),
        ]

    @property
    def urls(self) -> tuple[list, str, str]:
        return self.urlpatterns, self.namespace, self.namespace


registration_api = RegistrationAPI()
