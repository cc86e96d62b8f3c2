"""Admin for the standards (editions, sections, standards, clauses) and the scope vocabulary.

Site administrators only: unknown titles are filled in here as they become known.
"""

from django.contrib import admin

from .models import (
    Clause,
    Population,
    Region,
    Section,
    Setting,
    SpecialistContent,
    Standard,
    StandardsEdition,
)


class SectionInline(admin.TabularInline):
    model = Section
    extra = 0
    fields = ("number", "title", "summary")
    show_change_link = True


@admin.register(StandardsEdition)
class StandardsEditionAdmin(admin.ModelAdmin):
    list_display = ("name", "edition", "version", "published", "version_published", "is_current")
    list_filter = ("is_current",)
    search_fields = ("name", "edition", "version")
    prepopulated_fields = {"slug": ("name", "edition", "version")}
    ordering = ("-published", "-version")
    inlines = [SectionInline]


class StandardInline(admin.TabularInline):
    model = Standard
    extra = 0
    fields = ("number", "title")
    show_change_link = True


@admin.register(Section)
class SectionAdmin(admin.ModelAdmin):
    list_display = ("number", "title", "edition")
    list_filter = ("edition",)
    search_fields = ("title", "summary")
    list_select_related = ("edition",)
    ordering = ("edition", "number")
    inlines = [StandardInline]


class ClauseInline(admin.TabularInline):
    model = Clause
    extra = 0
    fields = ("number", "title")


@admin.register(Standard)
class StandardAdmin(admin.ModelAdmin):
    list_display = ("number", "title", "section", "edition")
    list_filter = ("section__edition", "section")
    search_fields = ("number", "title")
    list_select_related = ("section__edition",)
    ordering = ("section__edition", "section__number", "number")
    inlines = [ClauseInline]

    @admin.display(ordering="section__edition")
    def edition(self, standard):
        return standard.section.edition


@admin.register(Clause)
class ClauseAdmin(admin.ModelAdmin):
    list_display = ("number", "title", "standard")
    list_filter = ("standard__section__edition", "standard__section")
    search_fields = ("number", "title")
    list_select_related = ("standard__section",)
    ordering = ("standard__section__edition", "standard__number", "number")


class VocabularyTermAdmin(admin.ModelAdmin):
    list_display = ("label", "slug", "order")
    list_editable = ("order",)
    search_fields = ("label", "slug")
    prepopulated_fields = {"slug": ("label",)}
    ordering = ("order", "label")


admin.site.register(Population, VocabularyTermAdmin)
admin.site.register(Setting, VocabularyTermAdmin)
admin.site.register(SpecialistContent, VocabularyTermAdmin)


@admin.register(Region)
class RegionAdmin(VocabularyTermAdmin):
    list_display = ("label", "slug", "nation", "order")
    list_filter = ("nation",)
