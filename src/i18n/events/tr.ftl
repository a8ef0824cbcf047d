## events (tr)
