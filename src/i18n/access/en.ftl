### Access: inviting a mentor, joining with an invitation, and whether the
### relay lets this device sync.

invite-title = Invite a mentor
invite-hint = The link lets one new device join { $community }, once. It holds no key: the new device gets the keys from this device once both have been online. Send it only to the person you invite.
invite-valid-for = Valid for
invite-valid-hour = 1 hour
invite-valid-day = 1 day
invite-valid-week = 7 days
invite-create = Create invitation
invite-expires = Valid until { $time }, for one device.
invite-pending = Not on the relay yet: the invitation works once this device has been online.
invite-stored = Ready: the invitation is on the relay.
invite-refused = The relay did not accept this invitation. Create a new one.
invite-failed = The invitation could not be created. Try again.
invite-coordinator-only = Only a coordinator can invite new mentors. For another device of yours, ask your coordinator for an invitation.

join-no-invitation = This link holds no invitation. Ask your coordinator for a new invitation.

access-waiting = Waiting for your coordinator's device to confirm the invitation. The notebook opens after that.
access-awaiting-keys = You are admitted. Your coordinator's device sends you the community's keys as soon as it is online. Until then the notebook stays empty.
access-not-admitted = This device is not admitted to the network. Ask your coordinator for a new invitation.
access-retired = This device was removed from the network. Ask your coordinator.
access-invitation-refused = This invitation was already used or has expired. Ask your coordinator for a new invitation.
sync-waiting = Waiting for confirmation
sync-refused = Not syncing
