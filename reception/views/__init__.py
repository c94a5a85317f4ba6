"""Views of the reception app, by responsibility.

- `public`: the routes of `ReceptionPage` that show the roster (today, this week and
  next week, the month, the print view, the iCal feed and the published records);
- `booking`: the public appointment form, its confirmation and the lookup;
- `admin_shared`: what the admin viewsets share (department scope, leader filter);
- `roster_admin`: duty rosters with the rotation generator, leaders' unavailability;
- `records_admin`: reception records with their masked, logged export;
- `appointments_admin`: the clerk's decisions on appointment requests;
- `downloads`: records' attachments served from the private storage.

The viewsets are grouped into the 领导接访 menu in `reception.wagtail_hooks`. Every
listing and every object URL is limited to the user's department
(`reception.permissions`, `portal.scope`).
"""
