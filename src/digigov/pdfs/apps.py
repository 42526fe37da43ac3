from django.apps import AppConfig


class PdfsConfig(AppConfig):
    name = "digigov.pdfs"
    label = "pdfs"
