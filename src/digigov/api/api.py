from ninja import NinjaAPI

api = NinjaAPI(title="digigov API", version="1.0.0", urls_namespace="api-v1")
