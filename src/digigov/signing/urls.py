app_name = "signing"

urlpatterns: list = []  # the app's pages are added here
