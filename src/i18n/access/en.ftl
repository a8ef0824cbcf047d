### Access: inviting a mentor, joining with an invitation, and whether the
### relay lets this device sync.

invite-title = Invite
invite-hint = The link lets one new device join { $community }, once. It holds no key: the new device gets the keys from this device once both have been online. Send it only to the person you invite.
invite-community = Community
invite-valid-for = Valid for
invite-valid-hour = 1 hour
invite-valid-day = 1 day
invite-valid-week = 7 days
invite-create = Create invitation
invite-expires = Valid until { $time }, for one device.
invite-pending = Not sent yet: the invitation works once this device has been online.
invite-stored = Ready: the invitation can be used now.
invite-refused = The server did not accept this invitation. Create a new one.
invite-failed = The invitation could not be created. Try again.
invite-coordinator-only = Only a coordinator can invite new mentors. For another device of yours, ask your coordinator for an invitation.

join-no-invitation = This link holds no invitation. Ask your coordinator for a new invitation.

access-waiting = Waiting for your coordinator's device to confirm the invitation. The notebook opens after that.
access-awaiting-keys = You are admitted. Your coordinator's device sends you the community's keys as soon as it is online. Until then the notebook stays empty.
access-not-admitted = This device is not admitted to the network. Ask your coordinator for a new invitation.
access-retired = This device was removed from the network. Ask your coordinator.
access-invitation-refused = This invitation was already used or has expired. Ask your coordinator for a new invitation.
sync-waiting = Waiting for confirmation
sync-refused = Not sharing

## The invitation's name and QR code, and the network's devices.

invite-name = Who is the invitation for?
invite-name-hint = The name stays in the network's notebook, encrypted: the server never learns it.
invite-qr-label = QR code of the join link: scan it with the new phone's camera
devices-open = Devices of the network
devices-title = Devices of the network
devices-hint = Every phone and computer that may share data with the network. A removed device is cut off at once.
devices-not-read = The list comes from the network: it appears once this device has been online.
devices-coordinator-only = Only coordinators see and remove the network's devices.
devices-every-community = every community
devices-unknown-community = a community this device does not hold
devices-no-community = no community
devices-last-coordinator = The network needs a coordinator: its last one cannot be removed.
devices-not-this-device = This device cannot remove itself.
devices-already-removed = This device was already removed.
devices-remove-failed = The device could not be removed. Try again.
devices-phone-of = { $name }’s phone
devices-this-device = This device
devices-device = Device { $key }
devices-role-coordinator = Coordinator
devices-role-mentor = Mentor
devices-joined = Joined as entry { $position } of the network’s membership
devices-remove = Remove from the network
devices-confirm = Remove { $name } from the network?
devices-confirm-no-sync = The phone can no longer share data.
devices-confirm-keeps = What it holds stays on it: nothing is erased there.
devices-confirm-reaches-nobody = What it writes afterwards reaches nobody.
devices-remove-yes = Yes, remove
devices-remove-cancel = Cancel
devices-removed = Removed from the network
devices-removing = Removed here, waiting to reach the network
devices-invitations = Open invitations
devices-no-invitations = No invitation is waiting to be used.
devices-invitation-for = Invitation for { $name }
devices-invitation = Invitation without a name
devices-invite = Invite someone
invite-role = Invite as
invite-role-mentor = Mentor of one community
invite-role-coordinator = Coordinator (every community)
invite-hint-coordinator = The link lets one new device join the network as a coordinator, once. It gets the keys of every community from this device once both have been online, and may then read everything, invite and remove devices. Send it only to the person you invite.
devices-remembered = This is the network as this device last saw it. It reads it again once it is online.
devices-last-sync = Last synced { $time }
devices-never-synced = Has not reported a sync yet
devices-storage-kept = Storage kept: the browser will not clear it on its own
devices-storage-not-kept = Storage not guaranteed: the browser may clear it
