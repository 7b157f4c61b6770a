"""File-based exchange between installations: keys, the bundle format, merging.

Nothing here touches the database: ``regional_centre.services.sync`` uses
these pieces to export and import bundles through the service layer.
"""
