from django.contrib import admin

from .models import AllowedOrigin


@admin.register(AllowedOrigin)
class AllowedOriginAdmin(admin.ModelAdmin):
    list_display = ["origin", "note", "created_at"]
    search_fields = ["origin"]
