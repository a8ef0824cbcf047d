## events (ru)
