## events (en)
