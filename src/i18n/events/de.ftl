## events (de)
