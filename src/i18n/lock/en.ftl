### The app lock: the lock screen and the PIN on the device page.

lock-title = Lotse is locked
lock-pin = PIN
lock-open = Open
lock-delete-digit = Delete the last digit
lock-checking = Checking the PIN…
lock-not-a-pin = A PIN has 6 to 32 digits.
lock-wrong = { $count ->
    [one] Wrong PIN. One more wrong PIN erases everything on this device.
   *[other] Wrong PIN. { $count } tries left, then everything on this device is erased.
}
lock-wiped = Too many wrong PINs: everything on this device was erased. Join again with a new invitation.
lock-failed = The PIN could not be checked. Try again.

applock-title = App lock
applock-off = Off. Whoever holds this device can open the notebook. With a PIN, its keys open only with the PIN; after 10 wrong PINs everything on this device is erased and it must join again.
applock-on = On. The notebook opens only with the PIN; after 10 wrong PINs everything on this device is erased.
applock-current = Current PIN
applock-new = New PIN (at least 6 digits)
applock-repeat = Repeat the new PIN
applock-set = Turn on the app lock
applock-change = Change the PIN
applock-remove = Turn off the app lock
applock-mismatch = The two new PINs differ.
applock-set-done = The app lock is on.
applock-changed = The PIN was changed.
applock-removed = The app lock is off.
