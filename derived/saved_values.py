"""Which fields a save changes: a model mixin that remembers values as last saved.

Every app's models use it (what a save changes decides which derived rows it rewrites, and
whether it moves a record it must not move), so it lives here, below them all.
"""


class RemembersSavedValues:
    """Remembers the values of `remembered_fields` (attribute names) as last loaded from or
    saved to the database, so a save, and the receivers of its signals, can ask what it
    changes. Put it before `models.Model` in the bases."""

    remembered_fields: tuple[str, ...] = ()

    @classmethod
    def from_db(cls, db, field_names, values):
        instance = super().from_db(db, field_names, values)
        instance.remember_saved_values()
        return instance

    def refresh_from_db(self, using=None, fields=None, from_queryset=None):
        super().refresh_from_db(using=using, fields=fields, from_queryset=from_queryset)
        self.remember_saved_values(fields)

    def save(self, *args, update_fields=None, **kwargs):
        super().save(*args, update_fields=update_fields, **kwargs)
        # After post_save: its receivers still see what this save changed.
        self.remember_saved_values(update_fields)

    def remember_saved_values(self, names=None, values=None):
        """Take the current values (or `values`, read from the row) of the remembered fields
        among `names` (all if None; a foreign key by its name or its attribute name) as the
        saved ones. A deferred field is not remembered: nobody read it."""
        if values is None:
            values = self.__dict__
        saved = dict(getattr(self, "_saved_values", {}))  # a copy of the object keeps its own
        for attname in self.remembered_fields:
            if names is not None and not {attname, attname.removesuffix("_id")} & set(names):
                continue
            if attname in values:
                saved[attname] = values[attname]
        self._saved_values = saved

    def unremembered_fields(self):
        """The remembered fields set on this object whose saved value it does not know."""
        saved = getattr(self, "_saved_values", {})
        return [n for n in self.remembered_fields if n in self.__dict__ and n not in saved]

    def changed_fields(self):
        """The remembered fields whose value differs from the saved one. One whose saved value
        is unknown (an object built in memory, say) counts as changed, unless it is deferred
        and never set: then no save of this object writes it."""
        saved = getattr(self, "_saved_values", {})
        return [
            name
            for name in self.remembered_fields
            if name in self.__dict__ and (name not in saved or saved[name] != self.__dict__[name])
        ]
