"""The roles of the workspace, as groups of permissions."""

CAMPAIGNERS = "Campaigners"

# (app label, codename): everything the workspace lets a campaigner do.
CAMPAIGNER_PERMISSIONS = [
    ("workspace", "use_workspace"),
    ("workspace", "export_personal_data"),
    ("campaigns", "view_campaign"),
    ("campaigns", "add_campaign"),
    ("campaigns", "change_campaign"),
    ("campaigns", "view_update"),
    ("campaigns", "add_update"),
    ("actions", "view_action"),
    ("actions", "add_action"),
    ("actions", "change_action"),
    ("actions", "view_target"),
    ("actions", "add_target"),
    ("actions", "change_target"),
    ("actions", "delete_target"),
    ("actions", "view_submission"),
    ("actions", "view_delivery"),
    ("actions", "change_delivery"),
]
