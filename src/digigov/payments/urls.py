app_name = "payments"

urlpatterns: list = []  # the app's pages are added here
