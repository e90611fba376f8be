app_name = "selfcheck"
urlpatterns = []
