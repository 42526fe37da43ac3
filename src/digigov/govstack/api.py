from ninja import NinjaAPI

registration_api = NinjaAPI(title="GovStack Registration BB", version="1.0.0",
                            urls_namespace="govstack-registration", docs_url="/docs")
