## events (ar)
