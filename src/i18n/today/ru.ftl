## today (ru)
